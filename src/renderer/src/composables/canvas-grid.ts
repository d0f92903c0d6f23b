/**
 * A grid of equal cells drawn on one canvas: hundreds of cells that change many times a second
 * cost one small drawing per frame instead of hundreds of elements to patch, lay out and paint.
 * The grid is as wide as its parent (followed with a ResizeObserver), as tall as its rows; its
 * colours are CSS variables, read again when the theme or the system's scheme changes; the cell
 * under the mouse, or the one the arrow keys moved to while the canvas has the focus, is `hover`
 * (outlined on the drawing). Used by the client dots and the large accept queue.
 */
import { computed, onBeforeUnmount, onMounted, ref, useTemplateRef, watch } from 'vue'
import { useSettingsStore } from '../stores/settings'

export interface GridGeometry {
  cellWidth: number
  cellHeight: number
  gap: number
}

export interface Grid extends GridGeometry {
  perRow: number
  /** The top-left corner of cell i. */
  at(i: number): [x: number, y: number]
}

/** Cells per row for a width, and the cell at an offset within the grid (-1 if none). */
export function gridLayout(g: GridGeometry, width: number): { perRow: number; cellAt(x: number, y: number): number } {
  const stepX = g.cellWidth + g.gap
  const stepY = g.cellHeight + g.gap
  const perRow = Math.max(1, Math.floor((width + g.gap) / stepX))
  return {
    perRow,
    cellAt: (x, y) => {
      const col = Math.floor(x / stepX)
      const row = Math.floor(y / stepY)
      // The gap after a cell belongs to no cell.
      if (x < 0 || y < 0 || col >= perRow || x - col * stepX >= g.cellWidth || y - row * stepY >= g.cellHeight)
        return -1
      return row * perRow + col
    },
  }
}

/**
 * The colours of CSS variables as a canvas takes them. A variable's own text will not do: the
 * theme's are `light-dark(#7c3aed, #c4b5fd)`, which a canvas ignores (it kept drawing black).
 * The element's computed `color`, set to the variable for a moment, is the colour resolved.
 */
export function cssColors<C extends string>(el: HTMLElement, vars: Record<C, string>): Record<C, string> {
  const css = getComputedStyle(el)
  const before = el.style.color
  const out = {} as Record<C, string>
  for (const [name, v] of Object.entries<string>(vars)) {
    el.style.color = `var(${v})`
    out[name as C] = css.color || '#888'
  }
  el.style.color = before
  return out
}

/** Call in a component's setup; its template has `<canvas ref="canvas" v-bind="attrs">`. */
export function useCanvasGrid<C extends string>(opts: {
  geometry: GridGeometry
  /** How many cells there are now. */
  count: () => number
  /** The colours the drawing uses: a name for each CSS variable. */
  vars: Record<C, string>
  draw: (ctx: CanvasRenderingContext2D, grid: Grid, colors: Record<C, string>) => void
  /** What else the drawing reads: a change redraws with the next frame. */
  source: () => unknown
}) {
  const g = opts.geometry
  const canvas = useTemplateRef<HTMLCanvasElement>('canvas')
  const width = ref(600)
  const hover = ref(-1)
  const layout = computed(() => gridLayout(g, width.value))
  const height = computed(() => {
    const rows = Math.ceil(opts.count() / layout.value.perRow)
    return rows ? rows * (g.cellHeight + g.gap) - g.gap : 0
  })

  let colors = {} as Record<C, string>
  let focusColor = '#000'
  /** Colours are read with the next drawing after a theme change, not on every drawing. */
  let colorsStale = true

  function draw(): void {
    const el = canvas.value
    const ctx = el?.getContext('2d')
    if (!el || !ctx) return
    if (colorsStale) {
      colors = cssColors(el, opts.vars)
      focusColor = cssColors(el, { focus: '--fg' }).focus
      colorsStale = false
    }
    const dpr = window.devicePixelRatio || 1
    const w = Math.round(width.value * dpr)
    const h = Math.round(height.value * dpr)
    if (el.width !== w || el.height !== h) {
      el.width = w
      el.height = h
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
    ctx.clearRect(0, 0, width.value, height.value)
    const perRow = layout.value.perRow
    const at = (i: number): [number, number] => [
      (i % perRow) * (g.cellWidth + g.gap),
      Math.floor(i / perRow) * (g.cellHeight + g.gap),
    ]
    opts.draw(ctx, { ...g, perRow, at }, colors)
    if (hover.value >= 0 && hover.value < opts.count()) {
      ctx.strokeStyle = focusColor
      ctx.lineWidth = 2
      const [x, y] = at(hover.value)
      ctx.strokeRect(x - 1, y - 1, g.cellWidth + 2, g.cellHeight + 2)
    }
  }

  let frame = 0
  const redraw = (): void => {
    if (!frame) frame = requestAnimationFrame(() => ((frame = 0), draw()))
  }
  watch(() => [opts.source(), layout.value.perRow, height.value, hover.value], redraw)
  const recolor = (): void => ((colorsStale = true), redraw())
  const settings = useSettingsStore()
  watch(() => settings.settings.theme, recolor)

  function onMousemove(e: MouseEvent): void {
    const i = layout.value.cellAt(e.offsetX, e.offsetY)
    hover.value = i < opts.count() ? i : -1
  }
  const onMouseleave = (): void => void (hover.value = -1)
  /** The arrow keys walk the cells (up and down by rows), Home and End go to the ends. */
  function onKeydown(e: KeyboardEvent): void {
    const n = opts.count()
    const per = layout.value.perRow
    const from = hover.value < 0 ? -1 : hover.value
    const to: Record<string, number> = {
      ArrowRight: from + 1,
      ArrowLeft: from - 1,
      ArrowDown: from < 0 ? 0 : from + per,
      ArrowUp: from - per,
      Home: 0,
      End: n - 1,
    }
    if (!(e.key in to) || n === 0) return
    e.preventDefault()
    hover.value = Math.min(n - 1, Math.max(0, to[e.key]!))
  }
  /** What the canvas element takes from the grid (its size, role and the hover handlers). */
  const attrs = computed(() => ({
    role: 'img',
    // in the Tab order, so a keyboard and screen-reader user reaches its text (its aria-label)
    tabindex: 0,
    style: { width: `${width.value}px`, height: `${height.value}px` },
    onMousemove,
    onMouseleave,
    onKeydown,
    onBlur: onMouseleave,
  }))

  let resize: ResizeObserver | undefined
  const scheme = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined
  onMounted(() => {
    const parent = canvas.value!.parentElement
    width.value = parent?.clientWidth || width.value
    draw()
    if (typeof ResizeObserver === 'function' && parent) {
      resize = new ResizeObserver(() => (width.value = parent.clientWidth || width.value))
      resize.observe(parent)
    }
    scheme?.addEventListener('change', recolor)
  })
  onBeforeUnmount(() => {
    resize?.disconnect()
    scheme?.removeEventListener('change', recolor)
    cancelAnimationFrame(frame)
  })

  return { hover, attrs }
}
