import { h, type FunctionalComponent } from 'vue'
import type { Encoding } from '../../../shared/contract'
import { base64ToBytes, decodeSegments } from '../../../shared/codec'

/**
 * Peer bytes as text: decoded in the chosen encoding, invalid bytes shown as hex segments, and
 * rendered as text nodes only (never HTML). A functional component, with no reactive state or
 * computed of its own: the log and the cards show hundreds of these a second.
 */
const ChunkText: FunctionalComponent<{ preview: string; encoding: Encoding }> = (props) =>
  h(
    'span',
    { class: 'chunk-text' },
    decodeSegments(base64ToBytes(props.preview), props.encoding).map((s) =>
      'text' in s ? h('span', s.text) : h('span', { class: 'hex', title: 'hex' }, s.hex),
    ),
  )
ChunkText.props = ['preview', 'encoding']

export default ChunkText
