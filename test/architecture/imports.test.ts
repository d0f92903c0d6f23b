/**
 * The house's rules, checked over every source file: no import circle (type imports count:
 * a circle is a circle to the reader too), and each source file within about 300 lines.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|vue|css)$/.test(name) && !name.endsWith('.d.ts') ? [p] : []
  })
}

const files = walk('src')
const known = new Set(files.map((f) => resolve(f)))

function target(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec)
  return [base, `${base}.ts`, `${base}.vue`, join(base, 'index.ts')].find((p) => known.has(p))
}

export function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const f of files) {
    const text = readFileSync(f, 'utf8')
    const specs = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1]!)
    graph.set(resolve(f), [...new Set(specs.map((s) => target(f, s)).filter((t): t is string => !!t))])
  }
  return graph
}

export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (n: string): void => {
    state.set(n, 'open')
    stack.push(n)
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') cycles.push(stack.slice(stack.indexOf(m)).concat(m))
      else if (!state.has(m)) visit(m)
    }
    stack.pop()
    state.set(n, 'done')
  }
  for (const n of graph.keys()) if (!state.has(n)) visit(n)
  return cycles.map((c) => c.map((p) => relative('.', p)))
}

describe('the source tree', () => {
  it('has no import circle', () => {
    // The check finds one where there is one.
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toHaveLength(1)
    expect(findCycles(importGraph())).toEqual([])
  })

  it('keeps each source file within about 300 lines (the language catalogs aside)', () => {
    const long = files
      .filter((f) => !f.includes(join('shared', 'i18n')))
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 320)
      .map(({ f, lines }) => `${f}: ${lines}`)
    expect(long).toEqual([])
  })

  it('gives each CLI command a file of its own; run.ts only picks one', () => {
    // the socket commands in src/cli/commands/, the others (check, sockets, neighbors) beside run.ts
    for (const f of ['tcp-server', 'tcp-client', 'backlog', 'udp'])
      expect(known.has(resolve(`src/cli/commands/${f}.ts`)), f).toBe(true)
    for (const f of ['check', 'sockets', 'neighbors']) expect(known.has(resolve(`src/cli/${f}.ts`)), f).toBe(true)
    const runTs = readFileSync('src/cli/run.ts', 'utf8')
    expect(runTs.split('\n').length).toBeLessThan(60)
    expect(runTs).not.toMatch(/engine\.(tcp|udp|backlog)\./)
  })
})
