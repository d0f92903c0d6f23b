/**
 * A person's clicks in Chromium against the browser preview: the real renderer, the real
 * engine, real sockets on 127.0.0.1.
 */
import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, it } from 'vitest'
import { findChromium, setUpBacklog } from '../support/browser'
import { usePreviewPage } from '../support/preview-page'
import { freePort } from '../support/ports'
import { runPython } from '../support/python'

const chromiumPath = findChromium()
if (!chromiumPath && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')

describe.skipIf(!chromiumPath)('the app in Chromium over the preview bridge', () => {
  const session = usePreviewPage(chromiumPath!)
  let page: Page
  beforeEach(() => {
    page = session.page
  })

  it('each tab opens at its top, wherever the last one was scrolled', async () => {
    // short enough that the chat tab scrolls (its empty log no longer takes 280 px of the window)
    await page.setViewportSize({ width: 1024, height: 420 })
    const host = page.getByTestId('panel-host')
    await host.evaluate((el) => el.scrollTo({ top: 400 }))
    expect(await host.evaluate((el) => el.scrollTop)).toBeGreaterThan(0)
    await page.getByTestId('tab-udp').click()
    await expect.poll(() => host.evaluate((el) => el.scrollTop)).toBe(0)
  })

  it('on a 1024×640 projector: the top bar fits, projector mode draws the page large with the log folded to a ticker, and it is remembered', async () => {
    await page.setViewportSize({ width: 1024, height: 640 })
    const fits = () =>
      page.evaluate(() => {
        const bar = document.querySelector('.topbar')!
        const lang = document.querySelector('[data-testid="locale"]')!.getBoundingClientRect()
        return bar.scrollWidth <= bar.clientWidth && lang.right <= window.innerWidth
      })
    expect(await fits()).toBe(true)
    const host = page.getByTestId('panel-host')
    // nothing has happened yet: the log takes a line's room, not 280 px of a 640 px screen
    expect(await page.getByTestId('event-log').evaluate((el) => el.getBoundingClientRect().height)).toBeLessThanOrEqual(
      100,
    )
    const before = await host.evaluate((el) => el.getBoundingClientRect().height)
    const pressed = () => page.getByTestId('projector').evaluate((el) => getComputedStyle(el).boxShadow)
    expect(await pressed()).toBe('none')
    await page.getByTestId('projector').click()
    await expect
      .poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--scale')))
      .toBe('1.4')
    expect(await page.getByTestId('projector').getAttribute('aria-pressed')).toBe('true')
    expect(await pressed()).not.toBe('none') // it looks pressed too
    expect(await fits()).toBe(true)
    // The log is one line; the demo has more of the screen even with everything drawn 1.4× larger.
    const log = page.getByTestId('event-log')
    expect(await log.locator('.log-viewport').isVisible()).toBe(false)
    const after = await host.evaluate((el) => el.getBoundingClientRect().height)
    expect(after).toBeGreaterThan(before * 0.85) // drawn 1.4× larger, the panel keeps most of its room
    // once a server runs, its form folds to one line; "Change" opens it again
    await page.getByTestId('server-port').fill('0')
    await page.getByTestId('server-start').click()
    await expect.poll(() => page.getByTestId('folded-form').isVisible()).toBe(true)
    expect(await page.getByTestId('server-start').count()).toBe(0)
    await page.getByTestId('unfold-form').click()
    expect(await page.getByTestId('server-start').isVisible()).toBe(true)
    // the ticker tells the tab's own latest step, never another panel's
    await expect.poll(() => log.getByTestId('log-ticker').textContent()).toContain('S1')
    await page.getByTestId('tab-udp').click()
    await expect.poll(() => log.getByTestId('log-ticker').count()).toBe(0)
    await page.getByTestId('tab-chat').click()
    // the ticker opens by dragging the log's top edge up, and folds again dragged down
    const drag = async (dy: number) => {
      const box = (await log.getByTestId('log-handle').boundingBox())!
      await page.mouse.move(box.x + 40, box.y + 2)
      await page.mouse.down()
      await page.mouse.move(box.x + 40, box.y + 2 + dy, { steps: 6 })
      await page.mouse.up()
    }
    await drag(-200)
    await expect.poll(() => log.locator('.log-viewport').isVisible()).toBe(true)
    expect(await log.evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(120)
    await drag(400)
    await expect.poll(() => log.locator('.log-viewport').isVisible()).toBe(false)
    await page.reload()
    await page.locator('.app[data-ready="true"]').waitFor()
    await expect.poll(() => page.getByTestId('projector').getAttribute('aria-pressed')).toBe('true')
    // A- steps down; projector off restores the normal page and the log.
    await page.getByTestId('zoom-out').click()
    await expect
      .poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--scale')))
      .toBe('1.3')
    await page.getByTestId('zoom-in').click()
    await expect.poll(() => page.getByTestId('projector').getAttribute('aria-pressed')).toBe('true')
    await page.getByTestId('projector').click()
    await expect.poll(() => log.locator('.log-viewport').isVisible()).toBe(true)
    await log.getByTestId('log-fold').click()
    await expect.poll(() => log.getByTestId('log-fold').getAttribute('aria-expanded')).toBe('false')
    expect(await log.locator('.log-viewport').isVisible()).toBe(false)
  })

  it('switches between the three demos', async () => {
    await page.getByTestId('tab-backlog').click()
    await expect.poll(() => page.getByTestId('backlog-panel').isVisible()).toBe(true)
    await page.getByTestId('tab-udp').click()
    await expect.poll(() => page.getByTestId('udp-panel').isVisible()).toBe(true)
    await page.getByTestId('tab-chat').click()
    await expect.poll(() => page.getByTestId('chat-panel').isVisible()).toBe(true)
    await page.getByTestId('locale').selectOption('zh-CN')
    // the other language is a chunk of its own (fetched when idle, else on the switch)
    await expect.poll(() => page.getByTestId('tab-chat').textContent()).toContain('TCP 聊天')
  })

  it('keeps language, theme, log size and the last host and port across a reload', async () => {
    await page.getByTestId('locale').selectOption('zh-CN')
    await page.getByTestId('theme').selectOption('dark')
    const port = String(await freePort())
    await page.getByTestId('server-port').fill(port)
    await page.getByTestId('server-start').click()
    await expect.poll(() => page.getByTestId('server-card').count()).toBe(1)
    await page.reload()
    await page.locator('.app[data-ready="true"]').waitFor()
    await expect.poll(() => page.getByTestId('tab-chat').textContent()).toContain('TCP 聊天')
    // the settings arrive from the host after the first paint
    await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark')
    await expect.poll(() => page.getByTestId('theme').inputValue()).toBe('dark')
    await expect.poll(() => page.getByTestId('server-port').inputValue()).toBe(port)
    // the dark theme really applies: the page background is dark
    const bg = (await page.evaluate('getComputedStyle(document.body.parentElement).backgroundColor')) as string
    const [r, g, b] = bg.match(/\d+/g)!.map(Number)
    expect(r! + g! + b!).toBeLessThan(200)
  })

  it('starts a TCP server, connects a client from the UI, chats, half-closes, and shows the events', async () => {
    await page.getByTestId('server-port').fill('0')
    await page.getByTestId('server-mode').selectOption('threaded')
    await page.getByTestId('server-start').click()
    const tuple = await page.getByTestId('server-card').locator('.tuple').textContent()
    const port = tuple!.split(':').at(-1)!
    await page.getByTestId('client-port').fill(port)
    await page.getByTestId('client-connect').click()
    const client = page.locator('.column').nth(1).getByTestId('conversation')
    await expect.poll(() => client.locator('[data-state]').first().getAttribute('data-state')).toBe('open')
    await expect.poll(() => client.locator('.chunks li.in').first().textContent()).toContain('Welcome!')
    await client.getByTestId('message').fill('Ann')
    await client.getByTestId('send').click()
    await expect.poll(() => client.locator('.chunks').textContent()).toContain('Hello, Ann!')
    // A Python script in the course's style talks to the same server.
    const py = await runPython(
      `import socket, sys
s = socket.socket(); s.connect(('127.0.0.1', int(sys.argv[1])))
print(s.recv(1024).decode()); s.send('小文'.encode()); print(s.recv(1024).decode()); s.send(b'exit'); s.recv(1024)`,
      [port],
    )
    expect(py.stdout).toBe('Welcome!\nHello, 小文!\n')
    // the server card lists both connections with their 4-tuples
    await expect.poll(() => page.getByTestId('server-card').getByTestId('conversation').count()).toBe(2)
    // half-close from the client: the threaded server reads EOF and closes its side
    await client.getByTestId('half-close').click()
    await expect.poll(() => client.locator('[data-state]').first().getAttribute('data-state')).toBe('closed')
    // every step is in the event log: filter by each kind as a person would
    const log = page.getByTestId('event-log')
    await log.getByTestId('log-kinds').locator('summary').click() // the kind chips are folded away
    for (const k of ['listening', 'connect', 'connection', 'data', 'sent', 'shutdown', 'end', 'close']) {
      const chip = log.locator(`.chip[data-kind="${k}"]`)
      await chip.click()
      await expect
        .poll(() => log.locator(`.log-row[data-kind="${k}"]`).count(), { message: `log rows of kind ${k}` })
        .toBeGreaterThan(0)
      expect(await log.locator('.log-row:not([data-kind="' + k + '"])').count()).toBe(0)
      await chip.click()
    }
  })

  it('shows a refused connection and a port in use, and keeps running', async () => {
    await page.getByTestId('server-port').fill('0')
    await page.getByTestId('server-start').click()
    const port = (await page.getByTestId('server-card').locator('.tuple').textContent())!.split(':').at(-1)!
    await page.getByTestId('server-port').fill(port)
    await page.getByTestId('server-start').click()
    await expect.poll(() => page.getByTestId('error-note').first().textContent()).toContain('EADDRINUSE')
    await page.getByTestId('client-port').fill('1')
    await page.getByTestId('client-connect').click()
    await expect
      .poll(() => page.locator('.column').nth(1).getByTestId('error-note').first().textContent())
      .toContain('ECONNREFUSED')
    await page.getByTestId('client-host').fill('no-such-host.invalid')
    await page.getByTestId('client-connect').click()
    await expect
      .poll(() => page.locator('.column').nth(1).getByTestId('conversation').last().textContent())
      .toMatch(/ENOTFOUND|EAI_AGAIN/)
    // the browser's own range check stops an out-of-range port before any request is made
    await page.getByTestId('server-port').fill('70000')
    expect(
      await page.getByTestId('server-port').evaluate((el) => (el as HTMLInputElement).validity.rangeOverflow),
    ).toBe(true)
  })

  it.skipIf(process.platform !== 'linux')(
    'listen backlog: backlog 2, 8 clients, the queue fills, all are served one by one',
    async () => {
      await setUpBacklog(page, { backlog: 2, serveMs: 400, clients: 8, timeoutMs: 20_000 })
      await expect.poll(() => page.getByTestId('queue-mode').textContent()).toContain('Kernel queue')
      await page.getByTestId('backlog-add').click()
      const cards = page.getByTestId('backlog-client')
      await expect.poll(() => cards.count()).toBe(8)
      // the kernel's own queue figure reaches backlog + 1 while later clients are still in SYN_SENT
      await expect.poll(() => page.getByTestId('queue-count').textContent(), { timeout: 5000 }).toBe('3')
      const phases = () => cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-phase')))
      await expect.poll(async () => (await phases()).filter((p) => p === 'waiting').length).toBeGreaterThanOrEqual(2)
      expect((await phases()).filter((p) => p === 'serving')).toHaveLength(1)
      // the dropped SYNs are counted: a number above zero, not just a number
      await expect
        .poll(async () => Number(/(\d+)\s*$/.exec((await page.getByTestId('dropped').textContent()) ?? '')?.[1] ?? 0))
        .toBeGreaterThan(0)
      // served one by one until all are done (the dropped ones retry their SYN and get in late)
      await expect
        .poll(async () => (await phases()).every((p) => p === 'done'), { timeout: 30_000, interval: 250 })
        .toBe(true)
      expect(await page.getByTestId('backlog-accepted').textContent()).toContain('8')
    },
    45_000,
  )

  it('listen backlog: stop, then start again, as the lesson listen(5) -> discuss -> listen(2) needs', async () => {
    await setUpBacklog(page, { backlog: 5, clients: 3 })
    await page.getByTestId('backlog-add').click()
    const cards = page.getByTestId('backlog-client')
    await expect.poll(() => cards.count()).toBe(3)
    await expect.poll(() => page.getByTestId('serving').textContent()).toContain('Hang up')
    // the connection served is named after its client, as everywhere else
    expect(await page.getByTestId('serving-name').textContent()).toBe('A1 ← C1')
    await page.getByTestId('backlog-n').fill('2') // the form changes; the running server does not
    expect(await page.getByTestId('backlog-listen').textContent()).toBe('listen(5)')

    await page.getByTestId('backlog-stop').click()
    await expect.poll(() => page.getByTestId('backlog-start').isEnabled()).toBe(true)
    // the connection being served is closed too, not left behind (in CLOSE_WAIT once its caller goes)
    await expect
      .poll(() => session.preview.engine.list().filter((i) => i.kind === 'tcp-conn' && i.state !== 'closed').length)
      .toBe(0)
    expect(await page.getByTestId('backlog-stop').isEnabled()).toBe(false)
    expect(await page.getByTestId('backlog-add').isEnabled()).toBe(false)
    expect(await page.getByTestId('serving').textContent()).not.toContain('Hang up')
    expect(await page.getByTestId('queue-count').textContent()).toBe('0')

    await page.getByTestId('backlog-start').click()
    await expect.poll(() => page.getByTestId('backlog-listen').textContent()).toBe('listen(2)')
    await expect.poll(() => page.getByTestId('backlog-stop').isEnabled()).toBe(true)
    expect(await page.getByTestId('backlog-start').isEnabled()).toBe(false)
    await page.getByTestId('backlog-add').click()
    await expect.poll(() => page.getByTestId('serving').textContent()).toContain('Hang up')
  })

  it.skipIf(process.platform !== 'linux')(
    'listen backlog, a crowd: the long queue and the clients are drawn in the theme’s colours',
    async () => {
      await setUpBacklog(page, { backlog: 40, clients: 60 })
      await expect.poll(() => page.getByTestId('queue-mode').textContent()).toContain('Kernel queue')
      await page.getByTestId('backlog-add').click()
      // One served (until hung up), backlog + 1 waiting in the kernel's queue, the rest in SYN_SENT.
      const cells = page.getByTestId('queue-cells')
      await expect.poll(() => cells.getAttribute('data-app'), { timeout: 5000 }).toBe('41')
      expect(await page.getByTestId('queue-slot').count()).toBe(0)
      // What the canvases show: the colour the theme gives --out (waiting), never the canvas's
      // default black (a colour it could not read: the theme's are light-dark(...)).
      const drawn = (sel: string, vars: string[]) =>
        page.evaluate(
          ([sel, vars]) => {
            const c = document.querySelector<HTMLCanvasElement>(sel)!
            const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
            const seen = new Set<string>()
            for (let i = 0; i < d.length; i += 4)
              if (d[i + 3] === 255) seen.add(`rgb(${d[i]}, ${d[i + 1]}, ${d[i + 2]})`)
            const probe = document.createElement('i')
            document.body.append(probe)
            const want = vars.map((v) => ((probe.style.color = `var(${v})`), getComputedStyle(probe).color))
            probe.remove()
            return { want, has: want.map((w) => seen.has(w)), black: seen.has('rgb(0, 0, 0)') }
          },
          [sel, vars] as const,
        )
      await expect.poll(async () => (await drawn('.client-dots canvas', ['--out'])).has).toEqual([true])
      expect((await drawn('.client-dots canvas', [])).black).toBe(false)
      await expect.poll(async () => (await drawn('.queue-cells canvas', ['--out'])).has).toEqual([true])
      expect((await drawn('.queue-cells canvas', [])).black).toBe(false)
      await cells.locator('canvas').hover({ position: { x: 5, y: 5 } })
      expect(await cells.locator('canvas').getAttribute('title')).toMatch(/^C\d+ 127\.0\.0\.1:\d+$/)
    },
    30_000,
  )
})
