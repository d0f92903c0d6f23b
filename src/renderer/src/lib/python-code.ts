/**
 * The Python a student would write for what the Chat panel is doing, in the course's style
 * (`../shared/seeds`): each line tagged with the socket step it performs, so the code view can
 * highlight the line that matches the latest event.
 */
import type { LabEventKind, ServerMode } from '../../../shared/contract'
import { t, type MessageKey } from '../i18n'

export type Step = 'socket' | 'bind' | 'listen' | 'accept' | 'connect' | 'recv' | 'eof' | 'send' | 'shutdown' | 'close'
export interface CodeLine {
  text: string
  step?: Step
}
export type CodeRole = ServerMode | 'client' | 'threaded-client' | 'http' | 'udp' | 'backlog'

export interface CodeParams {
  host: string
  port: number
  backlog?: number
  encoding?: 'utf-8' | 'gbk'
  reply?: 'none' | 'echo' | 'hello'
  /** HTTP: the request as it was sent (its real Host line and path), CRLF line ends. */
  request?: string
  /** UDP: SO_BROADCAST set; every datagram sent back to its sender; where sends go. */
  broadcast?: boolean
  echo?: boolean
  target?: { host: string; port: number }
  /** The backlog demo: how long each client is served (0: until hung up by hand). */
  serveMs?: number
  /** TLS (the threaded server and its client): the socket wrapped by an SSLContext. */
  tls?: boolean
}

/** The certificate students save from the app (Python's cafile=), and a key of one's own. */
export const CERT_FILE = 'socket-lab-cert.pem'

/**
 * The same program over TLS, as current Python does it (`ssl.wrap_socket` was removed in 3.12):
 * a server wraps each accepted socket with an SSLContext holding its certificate and key; a client
 * verifies the server against the certificate it was given, by the address it dialled.
 */
function withTls(role: CodeRole, p: CodeParams, lines: CodeLine[]): CodeLine[] {
  const out = lines.map((l) =>
    l.text.startsWith('import socket') ? { ...l, text: l.text.replace('import socket', 'import socket, ssl') } : l,
  )
  const at = out.findIndex((l) => l.step === (role === 'threaded' ? 'accept' : 'connect'))
  if (at < 0) return lines
  const indent = /^\s*/.exec(out[at]!.text)![0]
  if (role === 'threaded') {
    const ctx = [
      L(`ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)  # ${c('tlsServer')}`),
      L(`ctx.load_cert_chain('cert.pem', 'key.pem')`),
    ]
    const first = out.findIndex((l) => l.step === 'socket')
    out.splice(at + 1, 0, L(`${indent}sock = ctx.wrap_socket(sock, server_side=True)  # ${c('tlsHandshake')}`))
    out.splice(first, 0, ...ctx)
    return out
  }
  const name = /^\s*(\w+)\.connect/.exec(out[at]!.text)?.[1] ?? 's'
  out.splice(at, 0, L(`ctx = ssl.create_default_context(cafile='${CERT_FILE}')  # ${c('tlsClient')}`))
  out.splice(at + 2, 0, L(`${name} = ctx.wrap_socket(${name}, server_hostname='${p.host}')  # ${c('tlsHandshake')}`))
  return out
}

/** Bytes as a Python bytes literal: printable ASCII as it is, \r \n \t escaped, the rest \xNN. */
export function pyBytes(text: string): string {
  let out = ''
  for (const b of new TextEncoder().encode(text)) {
    if (b === 0x0d) out += '\\r'
    else if (b === 0x0a) out += '\\n'
    else if (b === 0x09) out += '\\t'
    else if (b === 0x27 || b === 0x5c) out += `\\${String.fromCharCode(b)}`
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b)
    else out += `\\x${b.toString(16).padStart(2, '0')}`
  }
  return `b'${out}'`
}

/** Which lines an event corresponds to. */
export function stepsOf(kind: LabEventKind | undefined): Step[] {
  switch (kind) {
    case 'listening':
      return ['bind', 'listen']
    case 'connecting':
    case 'lookup':
    case 'connect':
      return ['connect']
    case 'connection':
      return ['accept']
    case 'data':
    case 'name':
      return ['recv']
    case 'end':
      return ['eof']
    case 'sent':
      return ['send']
    case 'shutdown':
      return ['shutdown']
    case 'close':
      return ['close']
    default:
      return []
  }
}

const L = (text: string, step?: Step): CodeLine => (step ? { text, step } : { text })

/** A comment of the code view, in the UI's language (Python 3 reads UTF-8 source). */
const c = (key: string): string => t(`chat.code.comments.${key}` as MessageKey)

function replyLine(p: CodeParams, indent: string, sock: string, text: string, raw: string): CodeLine[] {
  const enc = p.encoding ?? 'utf-8'
  if (p.reply === 'echo') return [L(`${indent}${sock}.send(${raw})  # ${c('echo')}`, 'send')]
  if (p.reply === 'hello') return [L(`${indent}${sock}.send(('Hello, %s!' % ${text}).encode('${enc}'))`, 'send')]
  return [
    L(`${indent}server_input = input('明威说>>>>:')`),
    L(`${indent}${sock}.send(server_input.encode('${enc}'))`, 'send'),
  ]
}

/** socket(), bind(), listen(), then the loop that accept()s: every server of the course. */
function acceptLoop(p: CodeParams, server: string, create: string, conn: string): CodeLine[] {
  return [
    L(`${server} = ${create}`, 'socket'),
    L(`${server}.bind(('${p.host}', ${p.port}))`, 'bind'),
    L(`${server}.listen(${p.backlog ?? 5})`, 'listen'),
    L('while True:'),
    L(`    ${conn}, addr = ${server}.accept()`, 'accept'),
  ]
}

export function pythonCode(role: CodeRole, p: CodeParams): CodeLine[] {
  const lines = pythonCodePlain(role, p)
  return p.tls && (role === 'threaded' || role === 'threaded-client' || role === 'client')
    ? withTls(role, p, lines)
    : lines
}

function pythonCodePlain(role: CodeRole, p: CodeParams): CodeLine[] {
  const enc = p.encoding ?? 'utf-8'
  const addr = `('${p.host}', ${p.port})`
  const head = [L('import socket'), L('')]
  switch (role) {
    case 'client':
      return [
        ...head,
        L('client = socket.socket()', 'socket'),
        L(`client.connect(${addr})`, 'connect'),
        L('while True:'),
        L(`    client_input = input('小文说>>>>:')`),
        L(`    client.send(client_input.encode('${enc}'))`, 'send'),
        L(`    if client_input == 'bye':`),
        L('        break'),
        L('    from_server_data = client.recv(1024)', 'recv'),
        L(`    if not from_server_data:  # ${c('serverClosed')}`, 'eof'),
        L('        break'),
        L(`    print('来自服务端的消息:', from_server_data.decode('${enc}'))`),
        L(`    if from_server_data.decode('${enc}') == 'bye':  # ${c('serverBye')}`),
        L('        break'),
        L(`# client.shutdown(socket.SHUT_WR)  # ${c('halfClose')}`, 'shutdown'),
        L('client.close()', 'close'),
      ]
    case 'threaded-client':
      return [
        ...head,
        L('s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)', 'socket'),
        L(`s.connect(${addr})`, 'connect'),
        L(`print(s.recv(1024).decode('${enc}'))  # ${c('welcome')}`, 'recv'),
        L(`for data in [b'Michael', b'Tracy', b'Sarah']:`),
        L('    s.send(data)', 'send'),
        L(`    print(s.recv(1024).decode('${enc}'))`, 'recv'),
        L(`s.send(b'exit')`, 'send'),
        L(`# s.recv(1024) == b'': ${c('closedAfterExit')}`, 'eof'),
        L('s.close()', 'close'),
      ]
    case 'http':
      return [
        ...head,
        L('s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)', 'socket'),
        L(`s.connect(${addr})`, 'connect'),
        L(`s.send(${pyBytes(p.request ?? `GET / HTTP/1.1\r\nHost: ${p.host}\r\nConnection: close\r\n\r\n`)})`, 'send'),
        L('buffer = []'),
        L('while True:'),
        L('    d = s.recv(1024)', 'recv'),
        L('    if d:'),
        L('        buffer.append(d)'),
        L(`    else:  # ${c('pageComplete')}`, 'eof'),
        L('        break'),
        L(`data = b''.join(buffer)`),
        L('s.close()', 'close'),
        L(`header, html = data.split(b'\\r\\n\\r\\n', 1)`),
        L(`print(header.decode('utf-8'))`),
        L(`with open('index.html', 'wb') as f:`),
        L('    f.write(html)'),
      ]
    case 'udp':
      return [
        ...head,
        L('s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)', 'socket'),
        ...(p.broadcast ? [L(`s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)  # ${c('broadcast')}`)] : []),
        L(`s.bind(${addr})  # ${c('udpBind')}`, 'bind'),
        ...(p.target
          ? [L(`s.sendto('hello'.encode('${enc}'), ('${p.target.host}', ${p.target.port}))  # ${c('sendto')}`, 'send')]
          : []),
        L('while True:'),
        L(`    data, addr = s.recvfrom(65535)  # ${c('recvfrom')}`, 'recv'),
        L(`    print(addr, data.decode('${enc}', 'replace'))`),
        ...(p.echo ? [L(`    s.sendto(data, addr)  # ${c('echo')}`, 'send')] : []),
      ]
    case 'backlog': {
      const sleep = (p.serveMs ?? 0) > 0
      return [
        L(sleep ? 'import socket, time' : 'import socket'),
        L(''),
        L('server = socket.socket()', 'socket'),
        L(`server.bind(${addr})`, 'bind'),
        L(`server.listen(${p.backlog ?? 5})  # ${c('backlog')}`, 'listen'),
        L('while True:'),
        L(`    conn, addr = server.accept()  # ${c('acceptOne')}`, 'accept'),
        L('    data = conn.recv(1024)', 'recv'),
        ...(p.reply === 'echo' ? [L(`    conn.send(data)  # ${c('echo')}`, 'send')] : []),
        sleep
          ? L(`    time.sleep(${(p.serveMs ?? 0) / 1000})  # ${c('serving')}`)
          : L(`    input('${c('hangUp')}')  # ${c('serving')}`),
        L('    conn.close()', 'close'),
      ]
    }
    case 'threaded':
      return [
        L('import socket, threading'),
        L(''),
        L('def tcplink(sock, addr):'),
        L(`    sock.send('Welcome!'.encode('${enc}'))`, 'send'),
        L('    while True:'),
        L('        data = sock.recv(1024)', 'recv'),
        L(`        if not data or data.decode('${enc}') == 'exit':`, 'eof'),
        L('            break'),
        ...replyLine(p, '        ', 'sock', `data.decode('${enc}')`, 'data'),
        L('    sock.close()', 'close'),
        L(''),
        ...acceptLoop(p, 's', 'socket.socket(socket.AF_INET, socket.SOCK_STREAM)', 'sock'),
        L('    t = threading.Thread(target=tcplink, args=(sock, addr))'),
        L('    t.start()'),
      ]
    case 'room':
      return [
        L('import socket, threading'),
        L(''),
        L(`members = {}  # ${c('members')}`),
        L('def broadcast(sender, text):'),
        L('    for c in list(members):'),
        L('        if c is not sender:'),
        L(`            c.send(text.encode('${enc}'))`, 'send'),
        L(''),
        L('def member(conn, addr):'),
        L(`    members[conn] = '%s:%s' % addr`),
        L('    while True:'),
        L(`        data = conn.recv(1024).decode('${enc}')`, 'recv'),
        L('        if not data:', 'eof'),
        L('            break'),
        L(`        if data.startswith('/nick '):`),
        L('            members[conn] = data[6:].strip()'),
        L('            continue'),
        L(`        broadcast(conn, '%s: %s\\n' % (members[conn], data))`),
        L('    del members[conn]'),
        L('    conn.close()', 'close'),
        L(''),
        ...acceptLoop(p, 'server', 'socket.socket()', 'conn'),
        L('    threading.Thread(target=member, args=(conn, addr)).start()'),
      ]
    default: {
      // serial (the 明威/小文 chat) and plain: one conversation at a time
      const bye = role === 'serial'
      return [
        ...head,
        ...acceptLoop(p, 'server', 'socket.socket()', 'conn'),
        L('    while True:'),
        L(`        data = conn.recv(1024).decode('${enc}')`, 'recv'),
        L(bye ? `        if not data or data == 'bye':` : '        if not data:', 'eof'),
        L('            break'),
        ...replyLine(p, '        ', 'conn', 'data', `data.encode('${enc}')`),
        // the seed's server ends the conversation when it says bye itself, too
        ...(bye && (p.reply ?? 'none') === 'none'
          ? [L(`        if server_input == 'bye':  # ${c('ownBye')}`), L('            break')]
          : []),
        L('    conn.close()', 'close'),
      ]
    }
  }
}
