/**
 * An exercise as the Classroom panel shows it, in the page's language: a check's name for a
 * column header, what a list is, the starter code with its comments in that language, and the
 * class's own line of code a hint refers to.
 */
import type { Check, Exercise, Text } from '../../../shared/exercise'

type Lang = keyof Text
/** A check's name for a header: its title in `lang`, else its id. */
export const checkTitle = (c: Pick<Check, 'id' | 'title'>, lang: Lang): string => c.title?.[lang] || c.id
/** What a list is, in `lang`: its label, else its key. */
export const listLabel = (ex: Exercise, name: string, lang: Lang): string =>
  ex.params.lists[name]?.label?.[lang] || name
/** The code to start from, with its comments in `lang` where the exercise has both. */
export const skeletonOf = (ex: Exercise, lang: Lang): string[] | undefined =>
  ex.skeleton === undefined ? undefined : Array.isArray(ex.skeleton) ? ex.skeleton : ex.skeleton[lang]
/** The class's own line of code a hint refers to, without the file number the exercise keeps
 * for its authors ("001: s.listen(5)" is shown as "s.listen(5)"): students know lessons, not seeds. */
export const courseLine = (line: string): string => line.replace(/^\d{3}:\s*/, '')
