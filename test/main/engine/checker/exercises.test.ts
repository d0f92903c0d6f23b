/** The built-in exercises and a teacher's own exercise file, by id or by path. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtInExercises, loadExercise } from '../../../../src/main/engine/checker/exercises'
import threadedHello from '../../../../src/main/engine/checker/exercises/threaded-hello.json'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'socket-lab-exercises-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('the built-in exercises', () => {
  it('are the five of the course, each valid, in the order the Classroom panel lists them', () => {
    expect(builtInExercises().map((e) => `${e.id} ${e.side} ${e.transport}`)).toEqual([
      'threaded-hello server tcp',
      'serial-bye server tcp',
      'udp-echo server udp',
      'threaded-hello-client client tcp',
      'http-get-client client tcp',
    ])
  })
})

describe('loadExercise', () => {
  it('finds a built-in exercise by its id', async () => {
    const r = await loadExercise('udp-echo')
    expect(r.ok && r.exercise.id).toBe('udp-echo')
  })

  it("reads a teacher's file by its path", async () => {
    const file = join(dir, 'mine.json')
    await writeFile(file, JSON.stringify({ ...threadedHello, id: 'my-hello' }))
    const r = await loadExercise(file)
    expect(r.ok && r.exercise.id).toBe('my-hello')
  })

  it('names the built-in ids and the reason when neither an id nor a readable file is given', async () => {
    const missing = join(dir, 'nope.json')
    const r = await loadExercise(missing)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.problems).toEqual([
      {
        file: missing,
        field: '(file)',
        expected: {
          en: 'a built-in exercise (threaded-hello, serial-bye, udp-echo, threaded-hello-client, http-get-client) or a file (ENOENT)',
          'zh-CN':
            '内置练习（threaded-hello, serial-bye, udp-echo, threaded-hello-client, http-get-client）或一个文件（ENOENT）',
        },
      },
    ])
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toContain(missing)
    expect(r.errors[0]).toContain('ENOENT')
  })

  it("reports a file that is not an exercise with the file's name", async () => {
    const file = join(dir, 'bad.json')
    await writeFile(file, '{"id": "x"')
    const r = await loadExercise(file)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors.join('\n')).toContain('bad.json')
  })
})
