import net from 'node:net'

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picked it, then it was released). */
export async function freePort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject)
    s.listen(0, '127.0.0.1', resolve)
  })
  const { port } = s.address() as net.AddressInfo
  await new Promise((r) => s.close(r))
  return port
}

/** A UDP port on 127.0.0.1 that was free a moment ago: a port where nobody listens. */
export async function freeUdpPort(): Promise<number> {
  const { createSocket } = await import('node:dgram')
  const s = createSocket('udp4')
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve))
  const { port } = s.address()
  await new Promise<void>((r) => s.close(() => r()))
  return port
}
