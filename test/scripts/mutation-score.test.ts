import { describe, expect, it } from 'vitest'
import { coveredScore, folderTally, score, table, tallies, type Report } from '../../scripts/mutation-score'

const report = (files: Record<string, string[]>): Report => ({
  files: Object.fromEntries(
    Object.entries(files).map(([f, statuses]) => [f, { mutants: statuses.map((status) => ({ status })) }]),
  ),
})

describe('mutation score over the three runs', () => {
  it('counts as Stryker does: detected (killed, timed out) over valid mutants; errors and ignored ones are not valid', () => {
    const byFile = tallies([
      report({
        'src/shared/a.ts': [
          'Killed',
          'Killed',
          'Timeout',
          'Survived',
          'NoCoverage',
          'CompileError',
          'Ignored',
          'RuntimeError',
        ],
      }),
    ])
    const t = byFile.get('src/shared/a.ts')!
    expect(t).toEqual({ killed: 2, timeout: 1, survived: 1, noCoverage: 1 })
    expect(score(t)).toBe(60)
    expect(coveredScore(t)).toBe(75)
    expect(score({ killed: 0, timeout: 0, survived: 0, noCoverage: 0 })).toBe(100)
  })

  it('adds up a folder from the runs that mutated its files; a file in two runs counts once, the later run’s', () => {
    const byFile = tallies([
      report({ 'src/main/engine/inspector/x.ts': ['Survived'], 'src/shared/a.ts': ['Killed'] }),
      report({ 'src/main/engine/tcp/tcp.ts': ['Killed', 'Killed', 'Survived'] }),
      report({ 'src/main/engine/inspector/x.ts': ['Killed'], 'src\\main\\engine\\udp\\udp.ts': ['NoCoverage'] }),
    ])
    expect(folderTally(byFile, 'src/main/engine')).toEqual({ killed: 3, timeout: 0, survived: 1, noCoverage: 1 })
    expect(folderTally(byFile, 'src/shared')).toEqual({ killed: 1, timeout: 0, survived: 0, noCoverage: 0 })
    expect(folderTally(byFile, 'src/main/eng')).toEqual({ killed: 0, timeout: 0, survived: 0, noCoverage: 0 }) // a folder, not a prefix
  })

  it('prints one row per file, best first, then each folder', () => {
    const out = table(tallies([report({ 'src/shared/a.ts': ['Killed', 'Survived'], 'src/shared/b.ts': ['Killed'] })]))
    const rows = out.split('\n')
    expect(rows[2]).toBe('| src/shared/b.ts | 100.0 | 100.0 | 1 | 0 | 0 | 0 |')
    expect(rows[3]).toBe('| src/shared/a.ts | 50.0 | 50.0 | 1 | 0 | 1 | 0 |')
    expect(rows[4]).toBe('| **src/shared** | 66.7 | 66.7 | 2 | 0 | 1 | 0 |')
  })
})
