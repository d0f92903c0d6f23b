import { afterEach, describe, expect, it } from 'vitest'
import { guardDrops } from '../../../src/renderer/src/lib/drops'

let remove: (() => void) | undefined
afterEach(() => {
  remove?.()
  document.body.replaceChildren()
})

/** The page's markup (a fixed fixture, parsed; no peer data). */
function page(html: string): void {
  document.body.replaceChildren(...new DOMParser().parseFromString(html, 'text/html').body.children)
}

/** A drag event as Chromium sends it, carrying `types` (e.g. 'Files', 'text/plain'). */
function drag(type: 'dragover' | 'drop', on: Element, types: string[]): Event {
  const e = new Event(type, { bubbles: true, cancelable: true })
  Object.defineProperty(e, 'dataTransfer', { value: { types, dropEffect: 'copy' } })
  on.dispatchEvent(e)
  return e
}

describe('drops outside a drop zone', () => {
  it('a file or link dropped on the page does nothing (no navigation away from the app)', () => {
    page('<main><p id="p">text</p><input id="i"></main>')
    remove = guardDrops(window)
    const p = document.getElementById('p')!
    for (const types of [['Files'], ['text/uri-list', 'text/plain']]) {
      expect(drag('dragover', p, types).defaultPrevented, types.join()).toBe(true)
      const drop = drag('drop', p, types)
      expect(drop.defaultPrevented).toBe(true)
      expect((drop as DragEvent).dataTransfer!.dropEffect).toBe('none')
    }
    // A file dropped on a text field is refused too; dragged text still lands in it.
    const input = document.getElementById('i')!
    expect(drag('drop', input, ['Files']).defaultPrevented).toBe(true)
    expect(drag('drop', input, ['text/plain']).defaultPrevented).toBe(false)
  })

  it('a drop zone gets its drops; the guard can be removed', () => {
    page('<div data-dropzone><span id="s">drop a file</span></div><p id="p"></p>')
    remove = guardDrops(window)
    expect(drag('drop', document.getElementById('s')!, ['Files']).defaultPrevented).toBe(false)
    remove()
    remove = undefined
    expect(drag('drop', document.getElementById('p')!, ['Files']).defaultPrevented).toBe(false)
  })
})
