/**
 * `npm run test:mutation`'s last step (scripts/mutation-report.ts runs it): the four StrykerJS runs' JSON reports (src/shared, the
 * engine's readers of the OS, the engine's socket code, the checker) read together, as a score per file and per
 * folder in a Markdown table (TESTING.md's), and an exit code: non-zero when a report is missing or a
 * folder is below the target.
 */
import { existsSync, readFileSync } from 'node:fs'

export const TARGET = 80
export const REPORTS = [
  'reports/mutation/shared.json',
  'reports/mutation/engine.json',
  'reports/mutation/sockets.json',
  'reports/mutation/checker.json',
]
export const FOLDERS = ['src/shared', 'src/main/engine']

/** What a Stryker JSON report (mutation-testing-report-schema) says of each mutant. */
export interface Report {
  files: Record<string, { mutants: { status: string }[] }>
}

export interface Tally {
  killed: number
  timeout: number
  survived: number
  noCoverage: number
}

const empty = (): Tally => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0 })

function add(t: Tally, status: string): void {
  if (status === 'Killed') t.killed++
  else if (status === 'Timeout') t.timeout++
  else if (status === 'Survived') t.survived++
  else if (status === 'NoCoverage') t.noCoverage++
  // Ignored, CompileError, RuntimeError, Pending: not valid mutants, as Stryker counts them
}

/** Stryker's mutation score: detected (killed or timed out) over every valid mutant. */
export const score = (t: Tally): number => {
  const detected = t.killed + t.timeout
  const valid = detected + t.survived + t.noCoverage
  return valid === 0 ? 100 : (100 * detected) / valid
}
/** The same over the mutants some test ran. */
export const coveredScore = (t: Tally): number => {
  const detected = t.killed + t.timeout
  return detected + t.survived === 0 ? 100 : (100 * detected) / (detected + t.survived)
}

/** Every file's tally (a file mutated by two runs: the later report wins). */
export function tallies(reports: Report[]): Map<string, Tally> {
  const byFile = new Map<string, Tally>()
  for (const r of reports) {
    for (const [file, f] of Object.entries(r.files)) {
      const t = empty()
      for (const m of f.mutants) add(t, m.status)
      byFile.set(file.replace(/\\/g, '/'), t)
    }
  }
  return byFile
}

export function folderTally(byFile: Map<string, Tally>, folder: string): Tally {
  const t = empty()
  for (const [file, f] of byFile) {
    if (!file.startsWith(`${folder}/`)) continue
    t.killed += f.killed
    t.timeout += f.timeout
    t.survived += f.survived
    t.noCoverage += f.noCoverage
  }
  return t
}

const pct = (n: number): string => n.toFixed(1)
const row = (name: string, t: Tally): string =>
  `| ${name} | ${pct(score(t))} | ${pct(coveredScore(t))} | ${t.killed} | ${t.timeout} | ${t.survived} | ${t.noCoverage} |`

export function table(byFile: Map<string, Tally>): string {
  const lines = [
    '| file | score | of covered | killed | timeout | survived | no coverage |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ]
  const files = [...byFile].sort((a, b) => score(b[1]) - score(a[1]))
  for (const [file, t] of files) lines.push(row(file, t))
  for (const folder of FOLDERS) lines.push(row(`**${folder}**`, folderTally(byFile, folder)))
  return lines.join('\n')
}

/** Prints the table; the exit code says whether every part ran and every folder met the target. */
export function main(): number {
  const missing = REPORTS.filter((p) => !existsSync(p))
  const reports = REPORTS.filter((p) => existsSync(p)).map((p) => JSON.parse(readFileSync(p, 'utf8')) as Report)
  const byFile = tallies(reports)
  console.log(table(byFile))
  let code = 0
  for (const p of missing) {
    console.error(`missing ${p}: run its part first`)
    code = 1
  }
  for (const folder of FOLDERS) {
    const s = score(folderTally(byFile, folder))
    if (s < TARGET) {
      console.error(`${folder}: ${pct(s)}% is below the ${TARGET}% target`)
      code = 1
    }
  }
  return code
}
