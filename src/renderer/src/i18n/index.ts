/**
 * A small typed i18n: keys are checked at compile time against the English messages, zh-CN
 * must provide every key, and the active locale is a ref so templates re-render on a switch.
 * Each language is a chunk of its own: the one shown is loaded before the first paint (main.ts),
 * the other when it is chosen (every key is in both: the tests hold them to that).
 */
import { ref } from 'vue'
import type { Messages } from '../../../shared/i18n/en'

export type { Messages }

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>
}[keyof T & string]
export type MessageKey = Paths<Messages>

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
const catalogs: Partial<Record<Locale, Messages>> = {}
const loaders: Record<Locale, () => Promise<Messages>> = {
  en: () => import('../../../shared/i18n/en').then((m) => m.en),
  'zh-CN': () => import('../../../shared/i18n/zh-CN').then((m) => m.zhCN),
}

/** Loads a language's messages (once). */
export async function loadLocale(l: Locale): Promise<void> {
  catalogs[l] ??= await loaders[l]()
}
/** A language's messages given at once (the tests' setup). */
export function provideCatalog(l: Locale, m: Messages): void {
  catalogs[l] = m
}
const STORAGE_KEY = 'socket-lab.locale'

/** zh-* follows to zh-CN; everything else to English. */
export function matchLocale(tags: readonly string[]): Locale {
  for (const tag of tags) {
    const l = tag.toLowerCase()
    if (l.startsWith('zh')) return 'zh-CN'
    if (l.startsWith('en')) return 'en'
  }
  return 'en'
}

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
    if (saved === 'en' || saved === 'zh-CN') return saved
  } catch {
    // storage may be unavailable; fall back to the system locale
  }
  const nav = globalThis.navigator
  return matchLocale(nav ? [...(nav.languages ?? []), nav.language] : [])
}

export const locale = ref<Locale>(initialLocale())

/** Switches the language: at once when its messages are loaded, else once they are. */
export function setLocale(l: Locale): void {
  if (!catalogs[l]) return void loadLocale(l).then(() => setLocale(l))
  locale.value = l
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, l)
  } catch {
    // not persisted; the switch still applies
  }
  if (globalThis.document) document.documentElement.lang = l
}

const memo = new WeakMap<Messages, Map<string, string | undefined>>()

function lookup(m: Messages, key: string): string | undefined {
  let cache = memo.get(m)
  if (!cache) memo.set(m, (cache = new Map()))
  if (cache.has(key)) return cache.get(key)
  const found = walk(m, key)
  cache.set(key, found)
  return found
}

function walk(m: Messages, key: string): string | undefined {
  let node: unknown = m
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string' ? node : undefined
}

/** The active language's messages (reading it tracks the locale); loaded before the app mounts. */
export function catalog(): Messages {
  const m = catalogs[locale.value] ?? catalogs.en ?? catalogs['zh-CN']
  if (!m) throw new Error('no language loaded yet: loadLocale() comes before the app mounts')
  return m
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const m = catalog()
  const text = lookup(m, key) ?? (catalogs.en && catalogs.en !== m ? lookup(catalogs.en, key) : undefined) ?? key
  return params ? text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m)) : text
}

export function useI18n() {
  return { t, locale, setLocale }
}
