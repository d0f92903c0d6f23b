/**
 * Students' programs in the course's style: for each built-in exercise a correct one, and a bank
 * of buggy ones, each with the one check it must fail. Servers take their port as argv[1] (0:
 * any) and print the port they got.
 */

const THREADED_OK = `import socket, threading, sys
def tcplink(sock, addr):
    sock.send(b'Welcome!')
    while True:
        try:
            data = sock.recv(1024)
        except ConnectionResetError:
            break
        if not data or data.decode('utf-8') == 'exit':
            break
        try:
            sock.send(('Hello, %s!' % data.decode('utf-8')).encode('utf-8'))
        except OSError:
            break
    sock.close()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1])))
s.listen(5)
print(s.getsockname()[1], flush=True)
while True:
    sock, addr = s.accept()
    t = threading.Thread(target=tcplink, args=(sock, addr), daemon=True)
    t.start()
`

const SERIAL_OK = `import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1])))
s.listen(5)
print(s.getsockname()[1], flush=True)
while True:
    conn, addr = s.accept()
    while True:
        try:
            data = conn.recv(1024)
        except ConnectionResetError:
            break
        if not data:
            break
        text = data.decode('utf-8')
        if text == 'bye':
            break
        conn.send(('收到：' + text).encode('utf-8'))
    conn.close()
`

const UDP_OK = `import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', int(sys.argv[1])))
print(s.getsockname()[1], flush=True)
while True:
    data, addr = s.recvfrom(65535)
    s.sendto(data, addr)
`

const CLIENT_OK = `import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(('127.0.0.1', int(sys.argv[1])))
print(s.recv(1024).decode('utf-8'))
for data in [b'Michael', b'Tracy', '小文'.encode('utf-8')]:
    s.send(data)
    print(s.recv(1024).decode('utf-8'))
s.send(b'exit')
s.close()
`

const HTTP_OK = `import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(('127.0.0.1', int(sys.argv[1])))
s.send(b'GET / HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n')
buffer = []
while True:
    d = s.recv(1024)
    if d:
        buffer.append(d)
    else:
        break
s.close()
print(len(b''.join(buffer)))
`

/** `code` with `from` replaced by `to` (which must be there: a fixture that stopped matching is a bug). */
function edit(code: string, ...pairs: [string, string][]): string {
  for (const [from, to] of pairs) {
    if (!code.includes(from)) throw new Error(`solution edit: ${JSON.stringify(from)} not found`)
    code = code.replace(from, to)
  }
  return code
}

export interface Solution {
  exercise: string
  /** What is wrong with it ('' for the correct one). */
  bug: string
  code: string
  /** The check it must fail (and it must fail no other); undefined: passes all. */
  fails?: string
  /**
   * For a bug whose effect depends on timing (what the kernel joins into one segment): what its
   * failure says, as a pattern, in place of the exact words of the snapshot.
   */
  says?: RegExp
}

export const SOLUTIONS: Solution[] = [
  { exercise: 'threaded-hello', bug: '', code: THREADED_OK },
  {
    exercise: 'threaded-hello',
    bug: 'no welcome on connect',
    code: edit(THREADED_OK, ["    sock.send(b'Welcome!')\n", '']),
    fails: 'welcome',
  },
  {
    exercise: 'threaded-hello',
    bug: 'a reply without "!"',
    code: edit(THREADED_OK, ["'Hello, %s!'", "'Hello, %s'"]),
    fails: 'hello',
  },
  {
    exercise: 'threaded-hello',
    bug: 'names decoded as ASCII (Chinese names broken)',
    code: edit(THREADED_OK, [
      "('Hello, %s!' % data.decode('utf-8'))",
      "('Hello, %s!' % data.decode('ascii', 'replace'))",
    ]),
    fails: 'hello',
  },
  {
    exercise: 'threaded-hello',
    bug: 'never closes after "exit"',
    code: edit(THREADED_OK, ["if not data or data.decode('utf-8') == 'exit':", 'if not data:']),
    fails: 'exit-closes',
  },
  {
    exercise: 'threaded-hello',
    bug: 'no threads: one client at a time',
    code: edit(THREADED_OK, [
      '    t = threading.Thread(target=tcplink, args=(sock, addr), daemon=True)\n    t.start()\n',
      '    tcplink(sock, addr)\n',
    ]),
    fails: 'concurrent',
  },
  {
    exercise: 'threaded-hello',
    bug: 'the whole server stops when a client resets',
    code: edit(
      THREADED_OK,
      ['import socket, threading, sys', 'import socket, threading, sys, os'],
      [
        '        except ConnectionResetError:\n            break',
        '        except ConnectionResetError:\n            os._exit(1)',
      ],
    ),
    fails: 'survives-reset',
  },

  { exercise: 'serial-bye', bug: '', code: SERIAL_OK },
  {
    exercise: 'serial-bye',
    bug: 'never replies',
    code: edit(SERIAL_OK, ["        conn.send(('收到：' + text).encode('utf-8'))\n", '        pass\n']),
    fails: 'reply',
  },
  {
    exercise: 'serial-bye',
    bug: 'does not close on "bye"',
    code: edit(SERIAL_OK, ["        if text == 'bye':\n            break\n", '']),
    fails: 'bye-closes',
  },
  {
    exercise: 'serial-bye',
    // seed 000's server as printed: one conversation, and the program ends
    bug: 'ends after the first conversation (no outer accept loop)',
    code: edit(
      SERIAL_OK,
      ['import socket, sys', 'import socket, sys'],
      [
        "        if text == 'bye':\n            break\n",
        "        if text == 'bye':\n            conn.close()\n            sys.exit()\n",
      ],
    ),
    fails: 'next-client',
  },

  { exercise: 'udp-echo', bug: '', code: UDP_OK },
  {
    exercise: 'udp-echo',
    bug: 'echoes through ASCII (Chinese lost)',
    code: edit(UDP_OK, ['    s.sendto(data, addr)', "    s.sendto(data.decode('ascii', 'ignore').encode(), addr)"]),
    fails: 'echo',
  },
  {
    exercise: 'udp-echo',
    bug: 'joins datagrams that arrive together into one reply',
    code: edit(
      UDP_OK,
      ['import socket, sys', 'import socket, sys, time'],
      [
        '    data, addr = s.recvfrom(65535)\n    s.sendto(data, addr)',
        '    data, addr = s.recvfrom(65535)\n    time.sleep(0.2)\n    s.setblocking(False)\n    try:\n        while True:\n            data += s.recvfrom(65535)[0]\n    except BlockingIOError:\n        pass\n    s.setblocking(True)\n    s.sendto(data, addr)',
      ],
    ),
    fails: 'boundaries',
  },
  {
    exercise: 'udp-echo',
    bug: 'reads only 1024 bytes of a datagram',
    code: edit(UDP_OK, ['s.recvfrom(65535)', 's.recvfrom(1024)']),
    fails: 'large',
  },

  { exercise: 'threaded-hello-client', bug: '', code: CLIENT_OK },
  {
    exercise: 'threaded-hello-client',
    // Sends sent back to back with nothing between them arrive as one read, which no server can
    // tell from one long name; a student who sleeps instead of reading is told apart.
    bug: 'sleeps a little between names instead of reading each reply',
    code: edit(
      CLIENT_OK,
      ['import socket, sys', 'import socket, sys, time'],
      [
        "for data in [b'Michael', b'Tracy', '小文'.encode('utf-8')]:\n    s.send(data)\n    print(s.recv(1024).decode('utf-8'))\n",
        "for data in [b'Michael', b'Tracy', '小文'.encode('utf-8')]:\n    s.send(data)\n    time.sleep(0.02)\ns.settimeout(1)\ntry:\n    while s.recv(4096):\n        pass\nexcept socket.timeout:\n    pass\n",
      ],
    ),
    fails: 'sends-names',
    // "Tracy" alone, or "Tracy小文" when the two sends arrived in one segment
    says: /^sent "Tracy(小文)?" before reading the reply to the one before$/,
  },
  {
    exercise: 'threaded-hello-client',
    bug: 'never sends "exit"',
    code: edit(CLIENT_OK, ["s.send(b'exit')\n", '']),
    fails: 'sends-exit',
  },
  {
    exercise: 'threaded-hello-client',
    bug: 'ends with a reset (SO_LINGER 0)',
    code: edit(
      CLIENT_OK,
      ['import socket, sys', 'import socket, sys, struct'],
      [
        's.close()',
        "s.recv(1024)\ns.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))\ns.close()",
      ],
    ),
    fails: 'closes',
  },
  {
    exercise: 'threaded-hello-client',
    bug: 'never closes',
    code: edit(CLIENT_OK, ['import socket, sys', 'import socket, sys, time'], ['s.close()', 'time.sleep(30)']),
    fails: 'closes',
  },

  { exercise: 'http-get-client', bug: '', code: HTTP_OK },
  {
    exercise: 'http-get-client',
    bug: 'no HTTP version on the request line',
    code: edit(HTTP_OK, ['GET / HTTP/1.1\\r\\n', 'GET /\\r\\n']),
    fails: 'request-line',
  },
  {
    exercise: 'http-get-client',
    bug: 'no Host header',
    code: edit(HTTP_OK, ['Host: 127.0.0.1\\r\\n', '']),
    fails: 'host-header',
  },
  {
    exercise: 'http-get-client',
    bug: 'no blank line after the header',
    code: edit(HTTP_OK, ['Connection: close\\r\\n\\r\\n', 'Connection: close\\r\\n']),
    fails: 'header-end',
  },
  {
    exercise: 'http-get-client',
    bug: 'one recv(1024), then close',
    code: edit(HTTP_OK, [
      'while True:\n    d = s.recv(1024)\n    if d:\n        buffer.append(d)\n    else:\n        break\n',
      'import time\ntime.sleep(0.5)\nbuffer.append(s.recv(1024))\n',
    ]),
    fails: 'reads-to-close',
  },
]
