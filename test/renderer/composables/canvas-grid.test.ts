import { describe, expect, it } from 'vitest'
import { cssColors, gridLayout } from '../../../src/renderer/src/composables/canvas-grid'

describe('gridLayout', () => {
  const g = { cellWidth: 10, cellHeight: 10, gap: 2 }

  it('fits as many cells in a row as the width holds, the last one without its gap', () => {
    expect(gridLayout(g, 58).perRow).toBe(5) // 5 cells and 4 gaps: 58 px
    expect(gridLayout(g, 57).perRow).toBe(4)
    expect(gridLayout(g, 3).perRow).toBe(1) // never none
  })

  it('finds the cell under a point, and no cell in a gap or past the row', () => {
    const l = gridLayout(g, 58)
    expect(l.cellAt(0, 0)).toBe(0)
    expect(l.cellAt(13, 2)).toBe(1)
    expect(l.cellAt(11, 2)).toBe(-1) // the gap after cell 0
    expect(l.cellAt(2, 13)).toBe(5) // second row
    expect(l.cellAt(2, 11)).toBe(-1) // the gap between rows
    expect(l.cellAt(61, 2)).toBe(-1) // right of the last column
    expect(l.cellAt(-1, 2)).toBe(-1)
  })
})

describe('cssColors', () => {
  it('resolves each variable to the colour it computes to, and leaves the element as it was', () => {
    const el = document.createElement('canvas')
    document.body.append(el)
    document.documentElement.style.setProperty('--probe', 'rgb(1, 2, 3)')
    el.style.color = 'red'
    expect(cssColors(el, { a: '--probe' })).toEqual({ a: 'rgb(1, 2, 3)' })
    expect(el.style.color).toBe('red')
    el.remove()
  })
})
