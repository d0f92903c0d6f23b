/** A table saved on another machine, as `--input` names it: a file, or '-' for stdin, as bytes. */
import { readFile } from 'node:fs/promises'

export async function readInput(path: string, stdin: NodeJS.ReadableStream): Promise<Buffer> {
  if (path !== '-') return readFile(path)
  const parts: Buffer[] = []
  for await (const c of stdin) parts.push(Buffer.from(c as Buffer))
  return Buffer.concat(parts)
}
