/**
 * A machine that answers commands from recordings, for the readers that take a `Runner`
 * (readOsSockets, readNeighbors): each answer is the command's output, or the error it fails
 * with; a command not recorded fails as a missing program does (ENOENT). `asked` lists the
 * command lines in the order they were run.
 */
export function recordedMachine(answers: Record<string, string | Buffer | Error>) {
  const asked: string[] = []
  const runner = async (cmd: string, args: string[]): Promise<Buffer> => {
    const line = [cmd, ...args].join(' ')
    asked.push(line)
    const a = answers[line]
    if (a === undefined)
      throw Object.assign(new Error(`spawn ${cmd} ENOENT (not recorded: ${line})`), { code: 'ENOENT' })
    if (a instanceof Error) throw a
    return Buffer.from(a)
  }
  return { runner, asked }
}
