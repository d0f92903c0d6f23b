import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { setApi } from '../../../src/renderer/src/api'
import RulesEditor from '../../../src/renderer/src/components/RulesEditor.vue'
import { setLocale } from '../../../src/renderer/src/i18n'
import { createFakeApi } from '../../support/fake-api'

let fake: ReturnType<typeof createFakeApi>
let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  pinia = createPinia()
  setActivePinia(pinia)
})

function mountEditor() {
  const rules = ref<string[]>([])
  const Host = defineComponent(
    () => () => h(RulesEditor, { modelValue: rules.value, 'onUpdate:modelValue': (v: string[]) => (rules.value = v) }),
  )
  return { w: mount(Host, { global: { plugins: [pinia] } }), rules }
}

describe('the chat server’s rules editor', () => {
  it('a rule that does not parse is named in the page’s language and neither used nor saved', async () => {
    setLocale('zh-CN')
    const { w, rules } = mountEditor()
    await w.get('[data-testid="rules-text"]').setValue('ping=>pong\nno arrow')
    await w.get('[data-testid="rules-text"]').trigger('blur')
    expect(w.get('[data-testid="rules-problem"]').text()).toBe('规则 "no arrow"：应为 MATCH=>REPLY')
    expect(rules.value).toEqual([])
    expect(fake.calls.some((c) => c.method === 'settingsSet')).toBe(false)
    setLocale('en')
  })

  it('rules that parse are used by the server form and saved with the settings', async () => {
    setLocale('en')
    const { w, rules } = mountEditor()
    await w.get('[data-testid="rules-text"]').setValue('ping=>pong {{counter}}\n\n/^GET (\\S+)/=>$1')
    await w.get('[data-testid="rules-text"]').trigger('blur')
    await flushPromises()
    expect(w.find('[data-testid="rules-problem"]').exists()).toBe(false)
    expect(rules.value).toEqual(['ping=>pong {{counter}}', '/^GET (\\S+)/=>$1'])
    expect(fake.calls.find((c) => c.method === 'settingsSet')?.req).toEqual({ rules: rules.value })
  })
})
