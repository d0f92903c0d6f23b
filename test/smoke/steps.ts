/**
 * The smoke test's clicks, shared by the real app (`_electron`, in the release workflow) and the
 * browser preview (run here, in the e2e tier): the three panels switched, a TCP server started,
 * a client connected and heard. Returns the server's port for the leftover check after quit.
 */
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

export async function smokeSteps(page: Page): Promise<{ serverPort: number }> {
  await page.locator('.app[data-ready="true"]').waitFor()
  for (const panel of ['backlog', 'udp', 'inspector', 'chat']) {
    await page.getByTestId(`tab-${panel}`).click()
    await page.getByTestId(`${panel}-panel`).waitFor({ state: 'visible' })
  }
  await page.getByTestId('server-port').fill('0')
  await page.getByTestId('server-start').click()
  const tuple = await page.getByTestId('server-card').locator('.tuple').first().textContent()
  const serverPort = Number(tuple!.split(':').at(-1))
  expect(serverPort).toBeGreaterThan(0)

  await page.getByTestId('client-port').fill(String(serverPort))
  await page.getByTestId('client-connect').click()
  const client = page.locator('.column').nth(1).getByTestId('conversation').last()
  await expect.poll(() => client.locator('[data-state]').first().getAttribute('data-state')).toBe('open')
  await client.getByTestId('message').fill('smoke')
  await client.getByTestId('send').click()
  const accepted = page.getByTestId('server-card').getByTestId('conversation').first()
  await expect.poll(() => accepted.locator('.chunks li.in').allTextContents()).toContain('recv 5smoke')
  return { serverPort }
}
