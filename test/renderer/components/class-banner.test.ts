/** The projector's banner for a TLS server: the certificate's fingerprint to compare, and a ready
 * client that verifies it (create_default_context with cafile=) instead of a plain one. */
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import ClassBanner from '../../../src/renderer/src/components/ClassBanner.vue'
import { freshRenderer } from '../fresh'

describe('ClassBanner', () => {
  const endpoints = [{ address: '192.168.1.20', port: 8443, family: 'IPv4' as const }]
  it('a TLS server: the SHA-256 to compare, and the ready client over TLS', () => {
    freshRenderer()
    const fp = 'AB:CD:EF:01'
    const w = mount(ClassBanner, { props: { endpoints, role: 'threaded', fingerprint: fp } })
    expect(w.get('[data-testid="class-fingerprint"]').text()).toContain(fp)
    const code = w.get('[data-testid="class-snippet"]').text()
    expect(code).toContain("ctx = ssl.create_default_context(cafile='socket-lab-cert.pem')")
    expect(code).toContain("s = ctx.wrap_socket(s, server_hostname='192.168.1.20')")
    w.unmount()
  })
  it('a plain server: no fingerprint, the plain client', () => {
    freshRenderer()
    const w = mount(ClassBanner, { props: { endpoints, role: 'threaded' } })
    expect(w.find('[data-testid="class-fingerprint"]').exists()).toBe(false)
    expect(w.get('[data-testid="class-snippet"]').text()).not.toContain('ssl')
    w.unmount()
  })
})
