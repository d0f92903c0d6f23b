/**
 * A file or link dropped on the window would navigate it away from the app: Electron's
 * `will-navigate` handler cancels that (src/main/security.ts), a browser tab would follow it.
 * So outside a drop zone (`[data-dropzone]`) a drag shows "no drop here" and a drop does
 * nothing; text dragged into a text field still lands there.
 */
function allowed(e: DragEvent): boolean {
  const el = e.target instanceof Element ? e.target : null
  if (el?.closest('[data-dropzone]')) return true
  const carriesFiles = Array.from(e.dataTransfer?.types ?? []).includes('Files')
  return !carriesFiles && !!el?.closest('input, textarea')
}

/** Installs the guard on `target` (the window); returns its removal. */
export function guardDrops(target: EventTarget): () => void {
  const guard = (ev: Event): void => {
    const e = ev as DragEvent
    if (allowed(e)) return
    e.preventDefault()
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'none'
  }
  target.addEventListener('dragover', guard)
  target.addEventListener('drop', guard)
  return () => {
    target.removeEventListener('dragover', guard)
    target.removeEventListener('drop', guard)
  }
}
