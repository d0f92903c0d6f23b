/**
 * A small typed i18n: keys are checked at compile time against the English messages, zh-CN
 * must provide every key, and the active locale is a ref so templates re-render on a switch.
 */
import { ref } from 'vue'
import { en, type Messages } from '../../../shared/i18n/en'
import { zhCN } from '../../../shared/i18n/zh-CN'

export type { Messages }

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>
}[keyof T & string]
export type MessageKey = Paths<Messages>

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
const catalogs: Record<Locale, Messages> = { en, 'zh-CN': zhCN }
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

export function setLocale(l: Locale): void {
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

/** The active language's messages (reading it tracks the locale). */
export function catalog(): Messages {
  return catalogs[locale.value]
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = lookup(catalogs[locale.value], key) ?? lookup(en, key) ?? key
  return params ? text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m)) : text
}

export function useI18n() {
  return { t, locale, setLocale }
}
