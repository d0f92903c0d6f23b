/** For the dom tier's suites: each test's own stores over its own fake of the preload API. */
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { setApi } from '../../src/renderer/src/api'
import { setLocale } from '../../src/renderer/src/i18n'
import { createFakeApi } from '../support/fake-api'

/**
 * A test's fresh renderer: the UI in English, a new fake of the preload API in use, and a new
 * active Pinia for the stores (call it in `beforeEach`).
 */
export function freshRenderer(): { fake: ReturnType<typeof createFakeApi>; pinia: Pinia } {
  setLocale('en')
  const fake = createFakeApi()
  setApi(fake.api)
  const pinia = createPinia()
  setActivePinia(pinia)
  return { fake, pinia }
}
