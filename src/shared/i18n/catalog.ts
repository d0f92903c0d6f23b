/** The catalog for a BCP 47 tag, for code outside the renderer (main's dialogs, the CLI). */
import { en, type Messages } from './en'
import { zhCN } from './zh-CN'

/** zh-* is zh-CN; everything else English (as the renderer's matchLocale). */
export function catalogFor(tag: string | undefined): Messages {
  return tag?.toLowerCase().startsWith('zh') ? zhCN : en
}
