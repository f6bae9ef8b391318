#!/usr/bin/python3
"""Test receivers for Parallax's alert sinks (standard library only; run with /usr/bin/python3).

Starts any of three receivers and writes what arrives into --out-dir, one line per record:

  --udp PORT       syslog over UDP (RFC 5424, one message per datagram)
  --tcp PORT       syslog over TCP with RFC 6587 octet counting ("LEN SP MSG")
  --http PORT      HTTP POST receiver, Splunk-HEC compatible: the body may be concatenated
                   JSON objects (HEC), newline-delimited JSON or a JSON array
  (PORT 0 picks a free port; a receiver not named is not started)

Options:
  --host ADDR              address to bind (default 127.0.0.1; use :: or 0.0.0.0 in a netns)
  --out-dir DIR            where output files go (default: current folder), created if needed
  --http-fail-until FILE   answer 503 to every POST while FILE does not exist (then accept)
  --http-token TOKEN       require "Authorization: Splunk TOKEN" or "Bearer TOKEN" (else 401)
  --tls-cert PEM --tls-key PEM
                           serve HTTP and TCP syslog over TLS with this certificate

Output files in --out-dir (appended, flushed per line):
  syslog-udp.jsonl, syslog-tcp.jsonl  the MSG part (the record's JSON) of each syslog message
  syslog-udp.raw,   syslog-tcp.raw    each whole syslog message (PRI, header and all)
  http.jsonl                          each record's JSON (for HEC: the "event" member)
  http.raw                            each top-level JSON object/element as received (HEC wrapper)
  http.requests                       one JSON line per POST: path, status answered, headers
                                      (Authorization, Content-Type), number of records

When every receiver listens it prints one line on stdout and flushes it:
  ready udp=<port> tcp=<port> http=<port>     (only the receivers started are listed)
It runs until SIGTERM or SIGINT, then exits 0. Malformed input is reported on stderr and skipped.
"""

import argparse
import http.server
import json
import os
import signal
import socket
import socketserver
import ssl
import sys
import threading

_lock = threading.Lock()


def append_line(out_dir, name, text):
    with _lock:
        with open(os.path.join(out_dir, name), "a", encoding="utf-8") as f:
            f.write(text.replace("\n", " ") + "\n")
            f.flush()


def syslog_msg(message):
    """Returns the MSG part of an RFC 5424 message (after PRI/VERSION ... MSGID and SD)."""
    parts = message.split(" ", 6)
    if len(parts) < 7 or not parts[0].startswith("<"):
        return None
    rest = parts[6]  # STRUCTURED-DATA SP MSG
    if rest.startswith("- "):
        return rest[2:]
    if rest == "-":
        return ""
    # Structured data elements: skip "[...]" groups (honouring \] escapes).
    i = 0
    while i < len(rest) and rest[i] == "[":
        j = i + 1
        while j < len(rest) and not (rest[j] == "]" and rest[j - 1] != "\\"):
            j += 1
        i = j + 1
    return rest[i + 1:] if i < len(rest) else ""


def record_syslog(out_dir, kind, message):
    append_line(out_dir, "syslog-%s.raw" % kind, message)
    msg = syslog_msg(message)
    if msg is None:
        print("receivers: not an RFC 5424 message: %r" % message[:200], file=sys.stderr)
        return
    if msg.startswith("\ufeff"):
        msg = msg[1:]
    append_line(out_dir, "syslog-%s.jsonl" % kind, msg)


def split_json(body):
    """Concatenated JSON values (HEC), NDJSON, or one array -> list of values."""
    decoder = json.JSONDecoder()
    values, i = [], 0
    while True:
        while i < len(body) and body[i] in " \t\r\n":
            i += 1
        if i >= len(body):
            break
        value, i = decoder.raw_decode(body, i)
        values.append(value)
    if len(values) == 1 and isinstance(values[0], list):
        return values[0]
    return values


class UdpHandler(socketserver.BaseRequestHandler):
    def handle(self):
        data = self.request[0]
        record_syslog(self.server.out_dir, "udp", data.decode("utf-8", "replace"))


class TcpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        buf = b""
        while True:
            try:
                chunk = self.request.recv(65536)
            except (OSError, ssl.SSLError):
                return
            if not chunk:
                return
            buf += chunk
            while True:
                sp = buf.find(b" ")
                if sp <= 0:
                    break
                if not buf[:sp].isdigit():
                    print("receivers: bad octet count %r, dropping connection" % buf[:20],
                          file=sys.stderr)
                    return
                n = int(buf[:sp])
                if len(buf) < sp + 1 + n:
                    break
                msg = buf[sp + 1:sp + 1 + n].decode("utf-8", "replace")
                buf = buf[sp + 1 + n:]
                record_syslog(self.server.out_dir, "tcp", msg)


class TlsTcpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    tls_context = None

    def get_request(self):
        sock, addr = super().get_request()
        if self.tls_context is not None:
            sock.settimeout(10)
            try:
                sock = self.tls_context.wrap_socket(sock, server_side=True)
            except (OSError, ssl.SSLError) as e:
                print("receivers: TLS handshake failed: %s" % e, file=sys.stderr)
                sock.close()
                raise
            sock.settimeout(None)
        return sock, addr


class HttpHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        server = self.server
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        info = {
            "path": self.path,
            "headers": {k: self.headers.get(k) for k in ("Authorization", "Content-Type")},
        }
        if server.fail_until and not os.path.exists(server.fail_until):
            info.update(status=503, records=0)
            append_line(server.out_dir, "http.requests", json.dumps(info))
            return self.answer(503, {"text": "Server is busy", "code": 9})
        if server.token:
            auth = self.headers.get("Authorization", "")
            if auth not in ("Splunk " + server.token, "Bearer " + server.token):
                info.update(status=401, records=0)
                append_line(server.out_dir, "http.requests", json.dumps(info))
                return self.answer(401, {"text": "Invalid authorization", "code": 3})
        try:
            values = split_json(body)
        except ValueError as e:
            info.update(status=400, records=0)
            append_line(server.out_dir, "http.requests", json.dumps(info))
            return self.answer(400, {"text": "Invalid data format: %s" % e, "code": 6})
        for v in values:
            append_line(server.out_dir, "http.raw", json.dumps(v, separators=(",", ":")))
            event = v["event"] if isinstance(v, dict) and "event" in v else v
            append_line(server.out_dir, "http.jsonl", json.dumps(event, separators=(",", ":")))
        info.update(status=200, records=len(values))
        append_line(server.out_dir, "http.requests", json.dumps(info))
        self.answer(200, {"text": "Success", "code": 0})


class HttpServer(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


def family_for(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--udp", type=int)
    p.add_argument("--tcp", type=int)
    p.add_argument("--http", type=int)
    p.add_argument("--out-dir", default=".")
    p.add_argument("--http-fail-until")
    p.add_argument("--http-token")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    a = p.parse_args()
    if a.udp is None and a.tcp is None and a.http is None:
        p.error("start at least one of --udp, --tcp, --http")
    os.makedirs(a.out_dir, exist_ok=True)
    tls = None
    if a.tls_cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(a.tls_cert, a.tls_key)

    servers, ready = [], []
    if a.udp is not None:
        cls = type("Udp", (socketserver.ThreadingUDPServer,),
                   {"address_family": family_for(a.host), "allow_reuse_address": True,
                    "daemon_threads": True})
        s = cls((a.host, a.udp), UdpHandler)
        s.out_dir = a.out_dir
        servers.append(s)
        ready.append("udp=%d" % s.server_address[1])
    if a.tcp is not None:
        cls = type("Tcp", (TlsTcpServer,), {"address_family": family_for(a.host)})
        s = cls((a.host, a.tcp), TcpHandler)
        s.out_dir = a.out_dir
        s.tls_context = tls
        servers.append(s)
        ready.append("tcp=%d" % s.server_address[1])
    if a.http is not None:
        cls = type("Http", (HttpServer,), {"address_family": family_for(a.host)})
        s = cls((a.host, a.http), HttpHandler)
        s.out_dir = a.out_dir
        s.fail_until = a.http_fail_until
        s.token = a.http_token
        if tls is not None:
            s.socket = tls.wrap_socket(s.socket, server_side=True)
        servers.append(s)
        ready.append("http=%d" % s.server_address[1])

    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready " + " ".join(ready), flush=True)
    while not stop.wait(0.5):
        pass
    for s in servers:
        s.shutdown()
        s.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
