import type { ErrorDetail, LabError } from '../../shared/contract'
import { isWildcard } from '../../shared/endpoint'
import { isLocalNetworkAddress } from '../../shared/ip'
import { ValidationError } from '../../shared/validate'

/** An error that already carries a lab error code (e.g. our own connect timeout). */
export class LabFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * Which explanation of an OS error applies, from what only the engine knows: the call that failed
 * (Node's `syscall`), the address and port it was given, and the OS. The same EACCES is the
 * broadcast option on a send, a port below 1024 on Linux, an excluded or exclusively held port on
 * Windows (whatever its number), and on macOS a low port bound to one address (the wildcard needs
 * no root there since 10.14).
 */
export function errorDetail(err: NodeJS.ErrnoException, platform: string = process.platform): ErrorDetail | undefined {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number }
  const binding = e.syscall === 'bind' || e.syscall === 'listen'
  switch (e.code) {
    case 'EACCES':
      if (e.syscall === 'send') return 'EACCES-broadcast'
      if (!binding) return undefined
      if (platform === 'win32') return 'EACCES-win'
      if (typeof e.port === 'number' && e.port > 0 && e.port < 1024) {
        if (platform !== 'darwin') return 'EACCES-low-port'
        // no address at all is the wildcard too
        return !e.address || isWildcard(e.address) ? undefined : 'EACCES-mac-low-port'
      }
      return undefined
    case 'EADDRINUSE':
      return binding && (platform === 'win32' || platform === 'darwin') ? 'EADDRINUSE-shared' : undefined
    case 'EMSGSIZE':
      return platform === 'darwin' ? 'EMSGSIZE-mac' : undefined
    case 'EHOSTUNREACH':
      // macOS 15+ drops an app's packets to the local network until the user allows it (Local
      // Network privacy): the SYN or datagram never leaves and Node sees "No route to host".
      return platform === 'darwin' && !!e.address && isLocalNetworkAddress(e.address)
        ? 'EHOSTUNREACH-mac-local-network'
        : undefined
    default:
      return undefined
  }
}

/** Turns whatever a socket call threw into data, keeping the OS error code and which of its
 * explanations applies. */
export function toLabError(err: unknown, platform: string = process.platform): LabError {
  if (err instanceof ValidationError) return err.toLabError()
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code
    const detail = errorDetail(err, platform)
    return { code: typeof code === 'string' ? code : 'EUNKNOWN', message: err.message, ...(detail ? { detail } : {}) }
  }
  return { code: 'EUNKNOWN', message: String(err) }
}
