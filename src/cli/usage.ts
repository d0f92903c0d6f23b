/** The CLI's help text (`socket-lab --help`). */
export const USAGE = `Usage: socket-lab <command> [options]

Commands:
  tcp-server   --host H --port P [--backlog N] [--mode serial|threaded|room|plain]
               [--reply echo|hello|none] [--rule 'MATCH=>REPLY' ...] [--encoding utf-8|gbk]
               [--half-open]
               A TCP server as the course writes them; runs until SIGINT or SIGTERM. stdin is
               sent to the newest open connection. --rule answers a message (one read) that
               contains MATCH, or matches /regex/, with REPLY ($1…, {{counter}}, {{time}},
               {{hex:0d 0a}}), in every mode; the first rule that matches answers. When a
               client has sent FIN, every mode closes that connection once what it owes is
               sent; --half-open (plain mode) keeps it open in CLOSE_WAIT instead, to go on
               sending from stdin.
               --tls [--tls-cert F --tls-key F] [--tls-export-cert F] [--tls-keylog F]: TLS on
               each connection (serial: after accept(), as Python's wrap_socket), with the lab's own certificate (made on this machine, named
               for its addresses, kept in ~/.config/socket-lab/tls) unless one is given;
               --tls-export-cert writes the PEM students trust (Python: cafile=). Prints what
               each client offered (its ClientHello) and what was chosen. --tls-keylog appends
               each session's keys to F for Wireshark (SSLKEYLOGFILE, also read from the
               environment).
  tcp-client   --host H --port P [--send DATA | --send-file F] [--repeat N] [--interval MS]
               [--timeout MS] [--linger MS] [--eol none|lf|crlf]
               stdin (or DATA, or the file) is sent as bytes; what arrives is printed. The end
               of what is sent half-closes (FIN) and waits up to --linger ms for the peer.
               --tls [--tls-ca F | --tls-insecure] [--servername NAME] [--alpn P ...]
               [--tls-keylog F]: TLS,
               verifying the server with the system's CAs, or trusting F (a PEM), or connecting
               anyway and saying why it would have failed. A certificate that does not verify
               (without --tls-insecure) exits 1 with what it means and what to do.
  backlog      --host H --port P [--backlog N] [--reply echo|none] [--serve-ms T]
               The listen-backlog demo: a serial server that accept()s one client at a
               time, so the others wait in the kernel's accept queue. Prints accepted,
               served and left events and the queue figures (kernel's own where the OS
               gives them). stdin is sent to the client being served.
  udp          --host H --port P [--echo]
               A UDP socket that prints each datagram with its sender; runs until SIGINT.
  udp-send     --to H:P [--count N] [--interval MS] [--seq] [--broadcast] [--iface ADDR]
               [--wait MS] <message>
               Sends datagrams; prints replies that arrive within --wait ms. --broadcast
               sets SO_BROADCAST, which a send to a broadcast address (x.x.x.255) needs.
               --iface: the interface (its IPv4 address) a multicast send leaves by.
               Without it the routing table picks one: on a PC with virtual adapters
               (Hyper-V, WSL, VMware), often one no classmate is on.
  sockets      [--port P ...] [--all] [--watch] [--interval MS] [--json]
               The OS socket table (Linux /proc/net, macOS netstat -an, Windows netstat -ano):
               the sockets of Socket Lab processes (found on Linux) and of the given ports,
               or every socket with --all. --watch prints again on every change.
  sockets      --input FILE|- [--format windows|bsd|proc] [--encoding E] [--json]
               A table captured on another machine (a student's netstat -ano > out.txt, in
               its code page or UTF-16, or pasted text), states in the course's names.
  neighbors    [--json] [--watch] [--interval MS] | --input FILE|- [--format windows|bsd|linux]
               This machine's neighbour table (ARP/NDP): which MAC answers for which
               address; or one printed elsewhere (socket-lab neighbors --help).
  route        HOST [--json] | --input FILE|- [--format windows|bsd|linux] [--json]
               Where a packet for HOST goes: source, interface, same subnet or the gateway,
               the next hop's MAC; or a route table printed elsewhere, any language.
  dns          NAME [--type T] [--server IP[:PORT]] [--tcp] [--timeout MS] [--lookup] [--json]
               One DNS question asked for real: the query's and the answer's bytes, the
               answer read; beside it, what getaddrinfo says (socket-lab dns --help).
  dns-server   [--host H] [--port P] --record NAME=IP ... [--json]
               The classroom DNS server: answers the names given, on a high port (8053).
  capture      [--port P ...] [--iface NAME] [--write FILE.pcapng] [--count N] [--json] | --read FILE
               The packets of the lab's ports (and ARP, ICMP), live through tcpdump or dumpcap, or
               from a pcap/pcapng file: each in the course's words. Capturing needs a one-time
               setup per OS (socket-lab capture --help); without it: exit 3 and the fix.
  check        --list | --validate FILE | --exercise ID|FILE (--target H:P | --roster F.csv
               | --listen [H:]P [--count N]) [--csv OUT] [--json]
               Grades students' socket programs check by check (socket-lab check --help).

Options of tcp-server, tcp-client, backlog, udp and udp-send:
  --output text|json|raw  text (default); json: one JSON object a line with an "event" field
                          (a server's first line is {"event":"listening",...} with the port the
                          OS chose, so --port 0 works from scripts; --json is the same); raw:
                          received bytes written to stdout unchanged, events to stderr (as ncat)
  --quiet                 lifecycle events only (listening, connections, closes, errors)
  --input text|hex|gbk    what stdin, DATA or <message> is: bytes as they are (text), hex
                          digits ("48 65 6c 6c 6f"), or (stdin) GBK text sent as UTF-8: what
                          cmd on Chinese Windows pipes (CP936). PowerShell 5.1 pipes ASCII
                          unless told: $OutputEncoding = [Text.Encoding]::UTF8 first
  --lines                 stdin is lines (each sent with --eol); the default on a terminal
  --encoding utf-8|gbk    how received text is shown, and how a server's replies are encoded
  --no-fold               list every read, however many (a script that needs each datagram)
A flood of reads is folded in text and json output: past 20 a second they are counted (reads,
bytes) once a second, and said so, instead of printed one by one.`
