/** Capturing the lab's own packets: starting and stopping it, and what state it is in. */

export interface CaptureStartReq {
  /** One interface instead of every one (Linux `any`; macOS lo0 and en0; Windows Npcap's loopback). */
  iface?: string
}

export type CaptureRefusal = 'no-capturer' | 'not-permitted'

export type CaptureStatus =
  /** A capturer runs: which, on which interfaces, with which filter. */
  | { state: 'capturing'; tool: string; interfaces: string[]; filter: string }
  /** Capture is on but no lab socket is open: no capturer runs until one opens. */
  | { state: 'waiting' }
  /** Off: stopped by the page, or the capturer ended (`message`: its last words). */
  | { state: 'off'; message?: string }
  /** This user may not capture here, or there is no capturer: the page gives this OS's fix. */
  | { state: 'refused'; refusal: CaptureRefusal; message?: string }
