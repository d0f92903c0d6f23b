/**
 * The Packets tab: the engine's live capture of the lab's own packets (started and stopped here,
 * its packets and counts heard through the lab store), or a capture file, or a recorded lesson,
 * read in the page with the engine's own reader and decoder. The list is bounded: live, the
 * latest MAX_ROWS packets (older ones leave it, counted); a file, its first MAX_ROWS (the rest
 * counted). Each packet keeps at most its first LIMITS.packetBytes bytes.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import { LIMITS, type CaptureStatus, type LabError, type WireEvent } from '../../../shared/contract'
import { base64ToBytes, bytesToBase64 } from '../../../shared/codec'
import { CaptureReader, type CaptureRecord } from '../../../shared/pcap/reader'
import { PcapngWriter, concatBytes } from '../../../shared/pcap/writer'
import { getApi } from '../api'
import { PacketRows, type PacketRow } from '../lib/packets'
import { useLabStore } from './lab'

export const MAX_ROWS = 10_000
export type PacketFilter = 'all' | 'socket' | 'lab' | 'arp' | 'icmp'
export type PacketSource =
  { kind: 'live' } | { kind: 'file'; name: string } | { kind: 'lesson'; id: string; where: string }

/** Rows read from a file between two paints (the first rows show at once; the page stays live). */
const ROWS_PER_SLICE = 2000

export const usePacketsStore = defineStore('packets', () => {
  const api = getApi()
  const lab = useLabStore()
  const status = shallowRef<CaptureStatus>({ state: 'off' })
  const error = ref<LabError>()
  const source = shallowRef<PacketSource>({ kind: 'live' })
  /** The rows, oldest first (a shallow ref: bumped once per batch, never deep-watched). */
  const rows = shallowRef<PacketRow[]>([])
  /** Packets counted but not listed (a flood), older rows that left the list, the kernel's drops. */
  const folded = ref(0)
  const trimmed = ref(0)
  const dropped = ref(0)
  /** What went wrong reading a file, after the rows before it. */
  const fileError = ref<string>()
  const linkTypes = ref<number[]>([])
  const selected = ref<number>()
  const filter = ref<PacketFilter>('all')
  const busy = ref(false)
  /** How long the file read took to list its first rows (ms), for the bench. */
  const firstMs = ref<number>()
  let maker = new PacketRows()
  let reading = 0

  const selectedRow = computed(() => rows.value.find((r) => r.n === selected.value))
  /** The rows the filter shows: "this socket" is the selected packet's socket (or its flow). */
  const shown = computed(() => {
    const all = rows.value
    const f = filter.value
    if (f === 'all') return all
    if (f === 'arp') return all.filter((r) => r.p.proto === 'arp')
    if (f === 'icmp') return all.filter((r) => r.p.proto === 'icmp' || r.p.proto === 'icmpv6')
    if (f === 'lab') return all.filter((r) => r.socket)
    const sel = selectedRow.value
    if (!sel) return all
    return all.filter((r) => (sel.socket ? r.socket === sel.socket : r.flow !== undefined && r.flow === sel.flow))
  })

  function clear(next: PacketSource): void {
    reading++
    source.value = next
    rows.value = []
    folded.value = trimmed.value = dropped.value = 0
    fileError.value = undefined
    firstMs.value = undefined
    linkTypes.value = []
    selected.value = undefined
    maker = new PacketRows()
  }

  function add(batch: PacketRow[], live: boolean): void {
    if (!batch.length) return
    const all = rows.value
    for (const r of batch) all.push(r)
    if (all.length > MAX_ROWS && live) {
      const extra = all.length - MAX_ROWS
      all.splice(0, extra)
      trimmed.value += extra
    }
    triggerRef(rows)
  }

  // --- live --------------------------------------------------------------------------------

  let pending: PacketRow[] = []
  function onWire(ev: WireEvent): void {
    if (ev.kind === 'capture') {
      status.value = ev.status
      return
    }
    if (source.value.kind !== 'live') return
    if (ev.kind === 'packet-fold') {
      folded.value += ev.packets
      dropped.value += ev.dropped ?? 0
      return
    }
    const bytes = base64ToBytes(ev.bytes)
    pending.push(maker.row({ ...ev, bytes }, ev.socket))
    noteLink(ev.linkType)
  }
  /** Rows are added once per intake flush (the lab store's frame), not per packet. */
  function flushLive(): void {
    if (!pending.length) return
    const batch = pending
    pending = []
    add(batch, true)
  }

  let unhook: (() => void) | undefined
  function follow(): void {
    unhook ??= lab.onWire((ev) => {
      onWire(ev)
      queueMicrotask(flushLive)
    })
  }

  async function start(): Promise<void> {
    follow()
    if (source.value.kind !== 'live') clear({ kind: 'live' })
    busy.value = true
    const r = await api.captureStart({})
    busy.value = false
    if (!r.ok) return void (error.value = r)
    error.value = undefined
    status.value = r.data
  }

  async function stop(): Promise<void> {
    busy.value = true
    const r = await api.captureStop()
    busy.value = false
    if (!r.ok) return void (error.value = r)
    status.value = r.data
  }

  // --- files -------------------------------------------------------------------------------

  function noteLink(lt: number): void {
    if (!linkTypes.value.includes(lt)) linkTypes.value = [...linkTypes.value, lt]
  }

  /** Reads a capture as it streams in: the first rows show before the rest is read. */
  async function read(stream: ReadableStream<Uint8Array>, next: PacketSource): Promise<void> {
    clear(next)
    const t0 = performance.now()
    const mine = reading
    const reader = new CaptureReader()
    const take = (records: CaptureRecord[]): PacketRow[] => {
      const out: PacketRow[] = []
      for (const r of records) {
        noteLink(r.linkType)
        if (rows.value.length + out.length >= MAX_ROWS) folded.value++
        else out.push(maker.row({ ...r, bytes: r.data.slice(0, LIMITS.packetBytes), caplen: r.data.length }))
      }
      return out
    }
    const it = stream.getReader()
    try {
      for (;;) {
        const { done, value } = await it.read()
        if (mine !== reading) return void (await it.cancel())
        const records = done ? (reader.end(), []) : reader.push(value)
        for (let i = 0; i < records.length; i += ROWS_PER_SLICE) {
          add(take(records.slice(i, i + ROWS_PER_SLICE)), false)
          firstMs.value ??= rows.value.length ? performance.now() - t0 : undefined
          await new Promise((r) => setTimeout(r, 0))
          if (mine !== reading) return
        }
        if (done) break
      }
    } catch (e) {
      if (mine === reading) fileError.value = (e as Error).message
    }
    if (mine !== reading) return
    if (reader.error) fileError.value = reader.error.message
    else if (reader.format === undefined) fileError.value ??= 'not a capture file: it is empty (at byte 0)'
  }

  const openFile = (f: File): Promise<void> => read(f.stream(), { kind: 'file', name: f.name })

  /** A recorded lesson shipped with the app (bytes in the page's bundle). */
  const openLesson = (id: string, where: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> =>
    read(new Blob([bytes]).stream(), { kind: 'lesson', id, where })

  /** The listed packets as pcapng (each as this page holds it), saved or downloaded. */
  async function exportPcapng(): Promise<LabError | undefined> {
    const w = new PcapngWriter()
    const parts = [w.header()]
    for (const r of rows.value)
      parts.push(w.packet({ linkType: r.linkType, sec: r.sec, nsec: r.nsec, data: r.bytes, origLen: r.origLen }))
    const name = `socket-lab-${new Date().toISOString().replace(/[:.]/g, '-')}.pcapng`
    const res = await lab.saveFile(name, bytesToBase64(concatBytes(...parts)))
    return res.ok ? undefined : res
  }

  /** Asked for from another tab: the Packets tab shown with just these packets (App watches `wanted`). */
  const wanted = ref(0)
  function show(o: { socket: string } | { filter: Exclude<PacketFilter, 'socket'> }): void {
    if ('socket' in o) {
      selected.value = rows.value.find((r) => r.socket === o.socket)?.n
      filter.value = 'socket'
    } else filter.value = o.filter
    wanted.value++
  }

  return {
    firstMs,
    wanted,
    show,
    status,
    error,
    source,
    rows,
    shown,
    folded,
    trimmed,
    dropped,
    fileError,
    linkTypes,
    selected,
    selectedRow,
    filter,
    busy,
    follow,
    start,
    stop,
    openFile,
    openLesson,
    exportPcapng,
    backToLive: () => clear({ kind: 'live' }),
  }
})
