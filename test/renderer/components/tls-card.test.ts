/** The TLS card says which key exchange was chosen, and why it cannot when the TLS library does not
 * report it: a server's socket in Node never does, nor a client's under Electron's BoringSSL. */
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import TlsCard from '../../../src/renderer/src/components/TlsCard.vue'
import { setLocale } from '../../../src/renderer/src/i18n'
import type { SocketView } from '../../../src/renderer/src/stores/lab'

type Tls = NonNullable<SocketView['tls']>
const facts = (side: Tls['side'], group?: string): Tls => ({
  side,
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  alpn: '',
  servername: '',
  authorized: side === 'server',
  resumed: false,
  ...(group ? { group } : {}),
})
const chosen = (tls: Tls): string => mount(TlsCard, { props: { tls } }).get('[data-testid="tls-chosen"]').text()

describe('TlsCard', () => {
  it('names the key exchange group where it is known, and says why not where it is not', () => {
    setLocale('en')
    expect(chosen(facts('client', 'X25519'))).toContain('key exchange X25519')
    expect(chosen(facts('server'))).toContain('key exchange not reported: Node tells only the client')
    expect(chosen(facts('client'))).toContain('key exchange not reported by this build’s TLS library')
    setLocale('zh-CN')
    expect(chosen(facts('client', 'X25519'))).toContain('密钥交换 X25519')
    expect(chosen(facts('server'))).toContain('密钥交换：Node 只告诉客户端')
    setLocale('en')
  })
})
