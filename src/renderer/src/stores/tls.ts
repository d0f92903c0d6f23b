/**
 * The lab's own TLS certificate as the page shows it: its SHA-256 fingerprint (for students to
 * compare), the PEM they trust (saved from here), and the PEM this page's own clients may trust.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { LabCertInfo, LabError } from '../../../shared/contract'
import { bytesToBase64 } from '../../../shared/codec'
import { getApi } from '../api'
import { useLabStore } from './lab'

export const useTlsStore = defineStore('tls', () => {
  const api = getApi()
  const cert = shallowRef<LabCertInfo>()
  const error = ref<LabError>()

  async function load(): Promise<LabCertInfo | undefined> {
    const r = await api.tlsCert()
    if (!r.ok) return void (error.value = r)
    error.value = undefined
    return (cert.value = r.data)
  }

  /** Saves the certificate (PEM) for students: `cafile=` in Python, --tls-ca in the CLI. */
  async function exportPem(): Promise<void> {
    const c = cert.value ?? (await load())
    if (!c) return
    const r = await useLabStore().saveFile('socket-lab-cert.pem', bytesToBase64(new TextEncoder().encode(c.certPem)))
    error.value = r.ok ? undefined : r
  }

  /** Where the TLS keys go for Wireshark while the user wants them (off by default). */
  const keylogPath = ref<string | null>(null)
  async function keylog(on: boolean): Promise<void> {
    const r = await api.tlsKeylog({ on })
    if (!r.ok) return void (error.value = r)
    keylogPath.value = r.data.path
  }

  return { cert, error, load, exportPem, keylogPath, keylog }
})
