/**
 * The browser preview's implementation of the preload API: the same named methods, carried
 * over HTTP to a local bridge (127.0.0.1 only, a random token) that runs the real engine.
 * Events arrive on one EventSource per page; the page is the owner of its sockets.
 */
import { base64ToBytes } from '../../../shared/codec'
import {
  CHANNELS,
  methodName,
  type Channel,
  type LabApi,
  type LabEvent,
  type Result,
  type SaveFileReq,
} from '../../../shared/contract'

export function createBridgeApi(token: string, base = ''): LabApi {
  const listeners = new Set<(batch: LabEvent[]) => void>()
  const source = new EventSource(`${base}/bridge/events?token=${encodeURIComponent(token)}`)
  const owner = new Promise<string>((resolve) => {
    source.addEventListener('hello', (e) =>
      resolve((JSON.parse((e as MessageEvent<string>).data) as { owner: string }).owner),
    )
  })
  source.onmessage = (e: MessageEvent<string>) => {
    const batch = JSON.parse(e.data) as LabEvent[]
    for (const l of listeners) l(batch)
  }

  const call = async (channel: Channel, req: unknown): Promise<Result<unknown>> => {
    try {
      const res = await fetch(`${base}/bridge/call/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lab-token': token, 'x-lab-owner': await owner },
        body: JSON.stringify(req ?? null),
      })
      return (await res.json()) as Result<unknown>
    } catch (err) {
      return { ok: false, code: 'EBRIDGE', message: String(err) }
    }
  }

  const api: Record<string, unknown> = {}
  for (const channel of CHANNELS) api[methodName(channel)] = (req?: unknown) => call(channel, req)
  // A browser page saves through its own download prompt; the bridge never writes files.
  api.fileSave = (req: SaveFileReq): Promise<Result<{ path: string | null }>> => {
    const url = URL.createObjectURL(new Blob([base64ToBytes(req.data)]))
    const a = document.createElement('a')
    a.href = url
    a.download = req.name
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    return Promise.resolve({ ok: true, data: { path: req.name } })
  }
  api.onEvent = (cb: (batch: LabEvent[]) => void) => {
    listeners.add(cb)
    return () => listeners.delete(cb)
  }
  return api as LabApi
}
