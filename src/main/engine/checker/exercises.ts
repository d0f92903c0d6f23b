/**
 * The built-in exercises (JSON files shipped in the bundle, validated when loaded) and an
 * exercise file of the teacher's own.
 */
import { readFile } from 'node:fs/promises'
import {
  parseExercise,
  problemText,
  validateExercise,
  type Exercise,
  type ExerciseResult,
} from '../../../shared/exercise'
import threadedHello from './exercises/threaded-hello.json'
import serialBye from './exercises/serial-bye.json'
import udpEcho from './exercises/udp-echo.json'
import threadedHelloClient from './exercises/threaded-hello-client.json'
import httpGetClient from './exercises/http-get-client.json'

const FILES: [string, unknown][] = [
  ['threaded-hello.json', threadedHello],
  ['serial-bye.json', serialBye],
  ['udp-echo.json', udpEcho],
  ['threaded-hello-client.json', threadedHelloClient],
  ['http-get-client.json', httpGetClient],
]

/** Every built-in exercise; an invalid one is a bug in the app (its test says which). */
export function builtInExercises(): Exercise[] {
  return FILES.map(([file, json]) => {
    const r = validateExercise(json, file)
    if (!r.ok) throw new Error(r.errors.join('\n'))
    return r.exercise
  })
}

/** A built-in exercise by id, or an exercise file by path. */
export async function loadExercise(idOrFile: string): Promise<ExerciseResult> {
  const built = builtInExercises().find((e) => e.id === idOrFile)
  if (built) return { ok: true, exercise: built }
  let text: string
  try {
    text = await readFile(idOrFile, 'utf8')
  } catch (e) {
    const ids = builtInExercises()
      .map((x) => x.id)
      .join(', ')
    const code = (e as NodeJS.ErrnoException).code
    const problems = [
      {
        file: idOrFile,
        field: '(file)',
        expected: {
          en: `a built-in exercise (${ids}) or a file (${code})`,
          'zh-CN': `内置练习（${ids}）或一个文件（${code}）`,
        },
      },
    ]
    return { ok: false, problems, errors: problems.map((p) => problemText(p, 'en')) }
  }
  return parseExercise(text, idOrFile)
}
