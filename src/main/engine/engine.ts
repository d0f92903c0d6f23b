/**
 * The socket engine: every real socket the lab opens, in one registry, and one object per
 * capability that opens them (tcp/, udp/, backlog/, inspector/). Plain Node, no Electron: the
 * Electron main process, the browser-preview bridge and the CLI all drive it.
 *
 * Each socket belongs to an owner (a window, a preview page, the CLI) and only that owner can
 * act on it. Events are handed to `emit` as they happen, one `data` event per read.
 */
import { BacklogDemo, type BacklogOptions } from './backlog/backlog'
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PacketCapture } from './capture/room'
import { DnsService } from './dns/dns-service'
import { CertStore } from './tls/cert'
import { CheckRuns } from './checker/runs'
import { Inspector } from './inspector/inspector'
import { SocketRegistry, type Emit } from './registry'
import { TcpSockets } from './tcp/tcp'
import { UdpSockets } from './udp/udp'

export type { Emit } from './registry'
export type EngineOptions = BacklogOptions & {
  /** Where the lab's TLS certificate is kept (the user's data folder); in memory when not given. */
  certDir?: string
}

export class SocketEngine extends SocketRegistry {
  readonly tcp: TcpSockets
  readonly udp: UdpSockets
  readonly backlog: BacklogDemo
  readonly inspector: Inspector
  /** The checker's runs (the Classroom panel): they open their own short-lived sockets. */
  readonly checker: CheckRuns
  /** The packets of each owner's lab sockets, when it asks for them. */
  readonly capture: PacketCapture
  /** The lab's own TLS certificate, made on first use. */
  readonly certs: CertStore
  /** DNS questions asked for real, and each owner's classroom DNS server. */
  readonly dns: DnsService
  private keylogFd: number | undefined

  constructor(
    emit: Emit,
    private readonly options: EngineOptions = {},
  ) {
    // the capture hears every event after its owner: a new port, the last socket closed
    super((owner, ev, payload) => {
      emit(owner, ev, payload)
      this.capture.onEvent(owner, ev)
    })
    this.capture = new PacketCapture((owner) => this.list(owner), emit)
    this.connectGate = (owner, port) => this.capture.gate(owner, port)
    this.certs = new CertStore(options.certDir)
    this.tcp = new TcpSockets(this, (owner, req, secure) => this.backlog.serial(owner, req, secure), this.certs)
    this.udp = new UdpSockets(this)
    this.backlog = new BacklogDemo(this, this.tcp, options)
    this.inspector = new Inspector(this)
    this.checker = new CheckRuns(emit)
    this.dns = new DnsService(emit)
  }

  /**
   * Writes every TLS session's keys to a file Wireshark reads ("(Pre)-Master-Secret log", the
   * SSLKEYLOGFILE format), appended to `file` (else sslkeylog.txt in the lab's folder), or stops;
   * off by default. Returns the file's path; a file that cannot be opened throws, nothing changed.
   */
  keylog(on: boolean, file?: string): string | null {
    const folder = this.options.certDir ?? tmpdir()
    // the lab's own folder is made when first needed; a file given is where it is said to be
    if (on && !file) mkdirSync(folder, { recursive: true })
    const path = file ?? join(folder, 'sslkeylog.txt')
    const fd = on ? openSync(path, 'a', 0o600) : undefined
    if (this.keylogFd !== undefined) closeSync(this.keylogFd)
    this.keylogFd = fd
    this.tlsKeylog = undefined
    if (fd === undefined) return null
    // a line per handshake, written at once: nothing is left in a buffer when the CLI exits
    this.tlsKeylog = (line) => {
      try {
        writeSync(fd, line)
      } catch {
        this.tlsKeylog = undefined // the disk is full or gone: no more keys, the sockets unharmed
      }
    }
    return path
  }

  /** Python's close(): queued data is still sent, then FIN; a server stops listening. */
  close(owner: string, id: string): void {
    const entry = this.find(owner, id)
    entry.cause ??= 'hang-up'
    void this.closeEntry(entry, false)
  }

  /** Closes every socket of one owner (a window that went away). */
  override closeOwner(owner: string): Promise<void> {
    this.tcp.dropOwner(owner)
    this.inspector.forget(owner)
    return Promise.all([
      this.checker.stopAll(owner),
      this.capture.stop(owner, false),
      this.dns.stop(owner),
      super.closeOwner(owner),
    ]).then(() => undefined)
  }

  /** Closes everything, helper process included; resolves when every handle has closed. */
  async closeAll(): Promise<void> {
    this.keylog(false)
    this.tcp.clear()
    await Promise.all([this.checker.stopAll(), this.capture.stopAll(), this.dns.stopAll(), this.closeWhere(() => true)])
    this.backlog.stop()
  }

  /** The backlog helper's process id while it runs (for tests that check nothing is left). */
  get helperPid(): number | undefined {
    return this.backlog.helperPid
  }
}
