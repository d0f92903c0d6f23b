/** The options every running command shares: how it prints, and how it reads what it sends. */
import { Transform } from 'node:stream'
import iconv from 'iconv-lite'
import { parseHex } from '../shared/codec'

export interface Out {
  output: 'text' | 'json' | 'raw'
  quiet: boolean
  /** What stdin, --send or <message> is: bytes as they are, hex digits, or (stdin) text in GBK
   * (CP936: what Chinese Windows' cmd pipes) to send as UTF-8. */
  input: 'text' | 'hex' | 'gbk'
  /** stdin as lines (each sent with `eol`): on a terminal, or asked for; else a byte stream. */
  lines: boolean
  eol: string
  json: boolean
  /** Fold a flood of reads into counts (the default); --no-fold lists every read (for a script). */
  fold: boolean
}
export const OUTPUTS = ['text', 'json', 'raw'] as const
const EOLS: Record<string, string> = { none: '', lf: '\n', crlf: '\r\n' }

type OneOf = <T extends string>(v: string | undefined, allowed: readonly T[], name: string, dflt: T) => T

/** The shared options from parsed values; `oneOf` rejects a value not allowed (a usage error). */
export function outOf(values: Record<string, unknown>, oneOf: OneOf): Out {
  const s = (k: string): string | undefined => values[k] as string | undefined
  const output = values['json'] === true ? 'json' : oneOf(s('output'), OUTPUTS, 'output', 'text')
  return {
    output,
    json: output === 'json',
    quiet: values['quiet'] === true,
    input: oneOf(s('input'), ['text', 'hex', 'gbk'] as const, 'input', 'text'),
    // a person typing at a terminal sends lines; a pipe or a file is bytes
    lines: typeof values['lines'] === 'boolean' ? values['lines'] : process.stdin.isTTY === true,
    eol: EOLS[oneOf(s('eol'), Object.keys(EOLS), 'eol', 'none')]!,
    fold: values['no-fold'] !== true,
  }
}

export function isHex(v: string): boolean {
  try {
    parseHex(v)
    return true
  } catch {
    return false
  }
}

/**
 * The terminal's language: LC_ALL, LC_MESSAGES or LANG where set (Linux, macOS); Windows sets
 * none of them, so there the system's own locale (Intl's), which is zh-CN on Chinese Windows.
 */
export function terminalLang(
  env: NodeJS.ProcessEnv = process.env,
  system = (): string => Intl.DateTimeFormat().resolvedOptions().locale,
): 'zh-CN' | 'en' {
  const tag = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || system()
  return /^zh/i.test(tag) ? 'zh-CN' : 'en'
}

/**
 * GBK (CP936) bytes in, the same text in UTF-8 out: `echo 你好 | socket-lab …` in Chinese
 * Windows' cmd pipes CP936, which a UTF-8 peer would read as garbage. A character split across
 * two chunks is kept until its second byte arrives.
 */
export function gbkToUtf8(): Transform {
  const decoder = iconv.getDecoder('gbk')
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = decoder.write(chunk)
      done(null, text ? Buffer.from(text, 'utf8') : undefined)
    },
    flush(done) {
      const rest = decoder.end()
      done(null, rest ? Buffer.from(rest, 'utf8') : undefined)
    },
  })
}
