"""Byte-level message builders, written from the protocol specifications.

Only the fields a classifier or fingerprinter reads are real (record framing, handshake fields,
names, lengths, magic numbers); keys, signatures, MACs and ciphertext are bytes from the session's
seeded generator, which is what encrypted data looks like on the wire anyway.
"""

from __future__ import annotations

import ipaddress
import random
import struct
import zlib

# --- TLS (RFC 5246, RFC 8446) --------------------------------------------------------------

CT_CCS, CT_HANDSHAKE, CT_APPDATA = 20, 22, 23
TLS12 = 0x0303
GCM12_OVERHEAD = 8 + 16  # explicit nonce + tag (TLS 1.2 AES-GCM)
TLS13_OVERHEAD = 1 + 16  # inner content type + tag


def u16(n: int) -> bytes:
    return struct.pack("!H", n)


def u24(n: int) -> bytes:
    return n.to_bytes(3, "big")


def vec8(b: bytes) -> bytes:
    return bytes([len(b)]) + b


def vec16(b: bytes) -> bytes:
    return u16(len(b)) + b


def tls_record(ctype: int, body: bytes, version: int = TLS12) -> bytes:
    """One or more records: bodies above 2^14 bytes are split, as the RFC requires."""
    out = b""
    for i in range(0, max(len(body), 1), 16384):
        chunk = body[i:i + 16384]
        out += struct.pack("!BHH", ctype, version, len(chunk)) + chunk
    return out


def hs(msg_type: int, body: bytes) -> bytes:
    return bytes([msg_type]) + u24(len(body)) + body


def ext(etype: int, data: bytes) -> bytes:
    return u16(etype) + vec16(data)


def _grease(rng: random.Random) -> int:
    v = rng.randrange(16)
    return (v << 12) | 0x0A00 | (v << 4) | 0x0A  # 0x?a?a, RFC 8701


SIGALGS_MODERN = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]
SIGALGS_SCHANNEL = [0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603,
                    0x0201, 0x0203]
SIGALGS_OPENSSL = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080A, 0x080B, 0x0804,
                   0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0303, 0x0203, 0x0301, 0x0201]


def _list16(values: list[int]) -> bytes:
    return vec16(b"".join(u16(v) for v in values))


def _sni(name: str) -> bytes:
    return ext(0, vec16(b"\x00" + vec16(name.encode())))


def _alpn(protos: list[str]) -> bytes:
    return ext(16, vec16(b"".join(vec8(p.encode()) for p in protos)))


def client_hello(rng: random.Random, profile: str, sni: str | None = None,
                 alpn: list[str] | None = None) -> bytes:
    """A ClientHello handshake message shaped like one real client family.

    chrome:   TLS 1.3 with GREASE and Chrome's extension set (order shuffled, as Chrome 110+).
    schannel: Windows' TLS 1.2 stack (mstsc, system services).
    openssl:  OpenSSL 1.1 in TLS 1.2 mode, as embedded by desktop apps such as AnyDesk.
    """
    random32 = rng.randbytes(32)
    session_id = rng.randbytes(32)
    exts: list[bytes] = []
    if profile == "chrome":
        g = _grease(rng)
        ciphers = [g, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8,
                   0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
        body_exts = [
            _sni(sni) if sni else b"",
            ext(23, b""), ext(0xFF01, b"\x00"),
            ext(10, _list16([_grease(rng), 0x001D, 0x0017, 0x0018])),
            ext(11, vec8(b"\x00")), ext(35, b""),
            _alpn(alpn or ["h2", "http/1.1"]),
            ext(5, b"\x01\x00\x00\x00\x00"),
            ext(13, _list16(SIGALGS_MODERN)), ext(18, b""),
            ext(51, vec16(u16(_grease(rng)) + vec16(b"\x00") + u16(0x001D)
                          + vec16(rng.randbytes(32)))),
            ext(45, vec8(b"\x01")),
            ext(43, vec8(u16(_grease(rng)) + u16(0x0304) + u16(0x0303))),
            ext(27, vec8(u16(2))),
            ext(17513, vec16(vec8(b"h2"))),
        ]
        rng.shuffle(body_exts)
        exts = [ext(_grease(rng), b"")] + [e for e in body_exts if e] + [ext(_grease(rng), b"\x00")]
        # Chrome pads the hello to 512 bytes (RFC 7685) to dodge broken middleboxes.
        size = 4 + 2 + 32 + 33 + 2 + 2 * len(ciphers) + 2 + 2 + sum(map(len, exts))
        if size < 512:
            exts.append(ext(21, bytes(max(0, 512 - size - 4))))
    elif profile == "schannel":
        ciphers = [0xC02C, 0xC02B, 0xC030, 0xC02F, 0xC024, 0xC023, 0xC028, 0xC027, 0xC00A,
                   0xC009, 0xC014, 0xC013, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F, 0x000A]
        exts = ([_sni(sni)] if sni else []) + [
            ext(5, b"\x01\x00\x00\x00\x00"),
            ext(10, _list16([0x001D, 0x0017, 0x0018])), ext(11, vec8(b"\x00")),
            ext(13, _list16(SIGALGS_SCHANNEL)), ext(35, b""),
            ext(23, b""), ext(0xFF01, b"\x00")]
        if alpn:
            exts.insert(5, _alpn(alpn))
    elif profile == "openssl":
        ciphers = [0xC02C, 0xC030, 0x009F, 0xCCA9, 0xCCA8, 0xCCAA, 0xC02B, 0xC02F, 0x009E,
                   0xC024, 0xC028, 0x006B, 0xC023, 0xC027, 0x0067, 0xC00A, 0xC014, 0x0039,
                   0xC009, 0xC013, 0x0033, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F, 0x00FF]
        exts = ([_sni(sni)] if sni else []) + [
            ext(11, vec8(b"\x00\x01\x02")),
            ext(10, _list16([0x001D, 0x0017, 0x001E, 0x0019, 0x0018])), ext(35, b"")]
        if alpn:
            exts.append(_alpn(alpn))
        exts += [ext(22, b""), ext(23, b""), ext(13, _list16(SIGALGS_OPENSSL))]
    else:
        raise ValueError(profile)
    body = (u16(TLS12) + random32 + vec8(session_id) + _list16(ciphers) + vec8(b"\x00")
            + vec16(b"".join(exts)))
    return hs(1, body)


def server_hello(rng: random.Random, cipher: int, tls13: bool = False, alpn: str | None = None,
                 session_id: bytes | None = None) -> bytes:
    exts = []
    if tls13:
        exts = [ext(51, u16(0x001D) + vec16(rng.randbytes(32))), ext(43, u16(0x0304))]
    else:
        exts = [ext(0xFF01, b"\x00"), ext(11, vec8(b"\x00\x01\x02")), ext(23, b"")]
        if alpn:
            exts.append(_alpn([alpn]))
    sid = session_id if session_id is not None else rng.randbytes(32)
    body = (u16(TLS12) + rng.randbytes(32) + vec8(sid) + u16(cipher) + b"\x00"
            + vec16(b"".join(exts)))
    return hs(2, body)


def certificate_msg(ders: list[bytes]) -> bytes:
    return hs(11, u24(sum(3 + len(d) for d in ders)) + b"".join(u24(len(d)) + d for d in ders))


def server_key_exchange(rng: random.Random, key: str = "ec") -> bytes:
    """ECDHE over x25519, signed with the certificate's key: ECDSA P-256 (a 70-72 byte DER
    signature) or RSA-2048 with PSS (256 bytes)."""
    sig = u16(0x0403) + vec16(ecdsa_sig(rng)) if key == "ec" else u16(0x0804) + vec16(rng.randbytes(256))
    return hs(12, b"\x03" + u16(0x001D) + vec8(rng.randbytes(32)) + sig)


def certificate_request() -> bytes:
    return hs(13, vec8(b"\x01\x40") + _list16(SIGALGS_MODERN) + u16(0))


def client_key_exchange(rng: random.Random) -> bytes:
    return hs(16, vec8(rng.randbytes(32)))


def certificate_verify(rng: random.Random, key: str = "ec") -> bytes:
    sig = u16(0x0403) + vec16(ecdsa_sig(rng)) if key == "ec" else u16(0x0804) + vec16(rng.randbytes(256))
    return hs(15, sig)


def ccs() -> bytes:
    return tls_record(CT_CCS, b"\x01")


def encrypted_finished(rng: random.Random) -> bytes:
    """Finished under the new keys: 12-byte verify_data + 4-byte header, sealed with AES-GCM."""
    return tls_record(CT_HANDSHAKE, rng.randbytes(16 + GCM12_OVERHEAD))


def app_data(rng: random.Random, plaintext_len: int, tls13: bool = False) -> bytes:
    """Application data records carrying plaintext_len bytes, with AEAD overhead per record."""
    out = b""
    remaining = max(plaintext_len, 1)
    while remaining > 0:
        n = min(remaining, 16384)
        out += tls_record(CT_APPDATA, rng.randbytes(n + (TLS13_OVERHEAD if tls13 else GCM12_OVERHEAD)))
        remaining -= n
    return out


def tls12_server_flight(rng: random.Random, cipher: int, certs: list[bytes],
                        alpn: str | None = None, request_cert: bool = False,
                        key: str = "ec") -> bytes:
    msgs = (server_hello(rng, cipher, alpn=alpn) + certificate_msg(certs)
            + server_key_exchange(rng, key) + (certificate_request() if request_cert else b"")
            + hs(14, b""))
    return tls_record(CT_HANDSHAKE, msgs)


def tls12_client_finish(rng: random.Random, client_certs: list[bytes] | None = None,
                        key: str = "ec") -> bytes:
    msgs = b""
    if client_certs is not None:
        msgs += certificate_msg(client_certs)
    msgs += client_key_exchange(rng)
    if client_certs is not None:
        msgs += certificate_verify(rng, key)
    return tls_record(CT_HANDSHAKE, msgs) + ccs() + encrypted_finished(rng)


def tls13_server_flight(rng: random.Random, cipher: int, encrypted_len: int,
                        session_id: bytes) -> bytes:
    """ServerHello, the middlebox-compatibility CCS, then EncryptedExtensions, Certificate,
    CertificateVerify and Finished as opaque application-data records (RFC 8446 s. 5)."""
    return (tls_record(CT_HANDSHAKE, server_hello(rng, cipher, tls13=True, session_id=session_id))
            + ccs() + app_data(rng, encrypted_len, tls13=True))


def session_id_of(client_hello_msg: bytes) -> bytes:
    """The legacy_session_id a TLS 1.3 server must echo."""
    return client_hello_msg[4 + 2 + 32 + 1:4 + 2 + 32 + 1 + client_hello_msg[38]]


# --- X.509 DER (RFC 5280) --------------------------------------------------------------------

def der(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        nb = (n.bit_length() + 7) // 8
        length = bytes([0x80 | nb]) + n.to_bytes(nb, "big")
    return bytes([tag]) + length + content


def seq(*items: bytes) -> bytes:
    return der(0x30, b"".join(items))


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        body += bytes(reversed(chunk))
    return der(0x06, body)


def der_int(value: bytes) -> bytes:
    value = value.lstrip(b"\x00") or b"\x00"
    return der(0x02, (b"\x00" if value[0] & 0x80 else b"") + value)


def ecdsa_sig(rng: random.Random) -> bytes:
    return seq(der_int(rng.randbytes(32)), der_int(rng.randbytes(32)))


ATTR = {"C": "2.5.4.6", "O": "2.5.4.10", "OU": "2.5.4.11", "CN": "2.5.4.3", "L": "2.5.4.7",
        "ST": "2.5.4.8"}


def x509_name(rdns: list[tuple[str, str]]) -> bytes:
    items = []
    for key, value in rdns:
        tag = 0x13 if key == "C" else 0x0C  # PrintableString for country, UTF8String otherwise
        items.append(der(0x31, seq(oid(ATTR[key]), der(tag, value.encode()))))
    return seq(*items)


def x509_cert(rng: random.Random, subject: list[tuple[str, str]],
              issuer: list[tuple[str, str]] | None = None, not_before: str = "240101000000Z",
              not_after: str = "340101000000Z", dns_names: list[str] | None = None,
              key: str = "ec") -> bytes:
    """A structurally valid X.509 v3 certificate with a random key and signature: EC P-256
    with ECDSA-SHA256, or RSA-2048 with SHA256-RSA (Windows' self-signed RDP certificates).

    Issuer defaults to the subject (self-signed), as remote-desktop tools and WebRTC use.
    """
    if key == "ec":
        sig_alg = seq(oid("1.2.840.10045.4.3.2"))
        spki = seq(seq(oid("1.2.840.10045.2.1"), oid("1.2.840.10045.3.1.7")),
                   der(0x03, b"\x00\x04" + rng.randbytes(64)))
        signature = ecdsa_sig(rng)
    else:
        sig_alg = seq(oid("1.2.840.113549.1.1.11"), der(0x05, b""))
        modulus = b"\xc0" + rng.randbytes(255)
        spki = seq(seq(oid("1.2.840.113549.1.1.1"), der(0x05, b"")),
                   der(0x03, b"\x00" + seq(der_int(modulus), der_int(b"\x01\x00\x01"))))
        signature = rng.randbytes(256)
    extensions = [seq(oid("2.5.29.19"), der(0x04, seq()))]
    if dns_names:
        san = seq(*[der(0x82, n.encode()) for n in dns_names])
        extensions.append(seq(oid("2.5.29.17"), der(0x04, san)))
    tbs = seq(der(0xA0, der_int(b"\x02")), der_int(rng.randbytes(16)), sig_alg,
              x509_name(issuer or subject),
              seq(der(0x17, not_before.encode()), der(0x17, not_after.encode())),
              x509_name(subject), spki, der(0xA3, seq(*extensions)))
    return seq(tbs, sig_alg, der(0x03, b"\x00" + signature))


# --- DNS (RFC 1035) --------------------------------------------------------------------------

QTYPE = {"A": 1, "CNAME": 5, "AAAA": 28, "HTTPS": 65}


def _qname(name: str) -> bytes:
    return b"".join(vec8(label.encode()) for label in name.rstrip(".").split(".")) + b"\x00"


def _edns(udp_size: int) -> bytes:
    return b"\x00" + u16(41) + u16(udp_size) + b"\x00\x00\x00\x00" + u16(0)


def dns_query(qid: int, name: str, qtype: str, edns: int | None = None) -> bytes:
    header = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 1 if edns else 0)
    return header + _qname(name) + u16(QTYPE[qtype]) + u16(1) + (_edns(edns) if edns else b"")


def dns_response(qid: int, name: str, qtype: str, answers: list[tuple[str, str, int, str]],
                 edns: int | None = None) -> bytes:
    """answers: (owner, type, ttl, value) with value an address or a CNAME target."""
    header = struct.pack("!HHHHHH", qid, 0x8180, 1, len(answers), 0, 1 if edns else 0)
    out = header + _qname(name) + u16(QTYPE[qtype]) + u16(1)
    for owner, rtype, ttl, value in answers:
        owner_bytes = b"\xc0\x0c" if owner == name else _qname(owner)  # compression pointer
        if rtype == "A":
            rdata = ipaddress.IPv4Address(value).packed
        elif rtype == "AAAA":
            rdata = ipaddress.IPv6Address(value).packed
        else:
            rdata = _qname(value)
        out += owner_bytes + u16(QTYPE[rtype]) + u16(1) + struct.pack("!I", ttl) + vec16(rdata)
    return out + (_edns(edns) if edns else b"")


# --- STUN (RFC 5389, ICE RFC 8445) -----------------------------------------------------------

STUN_MAGIC = 0x2112A442


def _stun_attr(atype: int, value: bytes) -> bytes:
    return u16(atype) + vec16(value) + b"\x00" * (-len(value) % 4)


def xor_address(ip: str, port: int) -> bytes:
    addr = int(ipaddress.IPv4Address(ip)) ^ STUN_MAGIC
    return b"\x00\x01" + u16(port ^ (STUN_MAGIC >> 16)) + struct.pack("!I", addr)


def stun(rng: random.Random, msg_type: int, txid: bytes, attrs: list[tuple[int, bytes]],
         integrity: bool = False, fingerprint: bool = False) -> bytes:
    """A STUN message; MESSAGE-INTEGRITY is random (no key), FINGERPRINT is the real CRC."""
    body = b"".join(_stun_attr(t, v) for t, v in attrs)
    if integrity:
        body += _stun_attr(0x0008, rng.randbytes(20))
    head = lambda extra: u16(msg_type) + u16(len(body) + extra) + struct.pack("!I", STUN_MAGIC) + txid
    if fingerprint:
        crc = (zlib.crc32(head(8) + body) ^ 0x5354554E) & 0xFFFFFFFF
        body += _stun_attr(0x8028, struct.pack("!I", crc))
        return head(0) + body
    return head(0) + body


# --- DTLS 1.2 (RFC 6347) and RTP (RFC 3550) --------------------------------------------------

DTLS12 = 0xFEFD


def dtls_record(ctype: int, epoch: int, seqno: int, body: bytes) -> bytes:
    return struct.pack("!BHH", ctype, DTLS12, epoch) + seqno.to_bytes(6, "big") + vec16(body)


def dtls_hs(msg_type: int, msg_seq: int, body: bytes) -> bytes:
    """A whole (unfragmented) DTLS handshake message."""
    return bytes([msg_type]) + u24(len(body)) + u16(msg_seq) + u24(0) + u24(len(body)) + body


def dtls_client_hello(rng: random.Random) -> bytes:
    """Chrome's WebRTC DTLS ClientHello body, offering SRTP protection profiles (use_srtp)."""
    ciphers = [0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC009, 0xC013, 0xC00A, 0xC014]
    exts = [ext(23, b""), ext(0xFF01, b"\x00"), ext(10, _list16([0x001D, 0x0017, 0x0018])),
            ext(11, vec8(b"\x00")), ext(13, _list16(SIGALGS_MODERN[:6])),
            ext(14, _list16([0x0007, 0x0008, 0x0001, 0x0002]) + b"\x00")]
    return (u16(DTLS12) + rng.randbytes(32) + vec8(b"") + vec8(b"") + _list16(ciphers)
            + vec8(b"\x00") + vec16(b"".join(exts)))


def dtls_server_hello(rng: random.Random) -> bytes:
    exts = [ext(23, b""), ext(0xFF01, b"\x00"), ext(11, vec8(b"\x00")),
            ext(14, _list16([0x0007]) + b"\x00")]
    return u16(DTLS12) + rng.randbytes(32) + vec8(b"") + u16(0xC02B) + b"\x00" + vec16(b"".join(exts))


def rtp(seqno: int, timestamp: int, ssrc: int, pt: int, marker: bool, send_time: float,
        payload: bytes) -> bytes:
    """RTP v2 with the one-byte header extension WebRTC always sends, here abs-send-time
    (extension id 2: seconds in 6.18 fixed point, 24 bits)."""
    first = 0x90  # V=2, X=1
    second = (0x80 if marker else 0) | pt
    abs_send_time = int(send_time * (1 << 18)) & 0xFFFFFF
    ext_hdr = b"\xbe\xde" + u16(1) + b"\x22" + abs_send_time.to_bytes(3, "big")
    return (bytes([first, second]) + u16(seqno & 0xFFFF)
            + struct.pack("!II", timestamp & 0xFFFFFFFF, ssrc) + ext_hdr + payload)


# --- protobuf and RustDesk framing ---------------------------------------------------------

def pb_varint(n: int) -> bytes:
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def pb(fields: list[tuple[int, int | str | bytes]]) -> bytes:
    """A protobuf message: ints as varints (wire type 0), str/bytes as length-delimited (2)."""
    out = b""
    for num, value in fields:
        if isinstance(value, bool) or isinstance(value, int):
            out += pb_varint(num << 3) + pb_varint(int(value))
        else:
            data = value.encode() if isinstance(value, str) else value
            out += pb_varint((num << 3) | 2) + pb_varint(len(data)) + data
    return out


def rustdesk_frame(payload: bytes) -> bytes:
    """hbb_common's BytesCodec: a 1-4 byte little-endian header, (len << 2) | (header bytes - 1)."""
    n = len(payload)
    for size, limit in ((1, 0x3F), (2, 0x3FFF), (3, 0x3FFFFF), (4, 0x3FFFFFFF)):
        if n <= limit:
            return ((n << 2) | (size - 1)).to_bytes(size, "little") + payload
    raise ValueError("frame too large")


def socket_addr(ip: str, port: int) -> bytes:
    """A stand-in for RustDesk's mangled socket address (hbb_common's AddrMangle, which also
    mixes in a timestamp): address and port packed little-endian with trailing zeros trimmed.
    Only its length and opacity matter here."""
    value = (int(ipaddress.IPv4Address(ip)) << 16) | port
    return value.to_bytes(8, "little").rstrip(b"\x00") or b"\x00"


# --- remote-desktop and VPN framings ---------------------------------------------------------

def tpkt(x224: bytes) -> bytes:
    """TPKT (RFC 1006) around an X.224 TPDU."""
    return b"\x03\x00" + u16(4 + len(x224)) + x224


def x224_connection_request(cookie_user: str, requested_protocols: int) -> bytes:
    """X.224 CR carrying the mstsc cookie and an RDP_NEG_REQ ([MS-RDPBCGR] 2.2.1.1)."""
    variable = (f"Cookie: mstshash={cookie_user}\r\n".encode()
                + struct.pack("<BBHI", 0x01, 0x00, 8, requested_protocols))
    fixed = b"\xe0" + u16(0) + u16(0) + b"\x00"  # CR, dst-ref 0, src-ref 0, class 0
    return tpkt(bytes([len(fixed) + len(variable)]) + fixed + variable)


def x224_connection_confirm(selected_protocol: int, src_ref: int) -> bytes:
    """X.224 CC with an RDP_NEG_RSP ([MS-RDPBCGR] 2.2.1.2)."""
    variable = struct.pack("<BBHI", 0x02, 0x1F, 8, selected_protocol)
    fixed = b"\xd0" + u16(0) + u16(src_ref) + b"\x00"
    return tpkt(bytes([len(fixed) + len(variable)]) + fixed + variable)


def teamviewer_cmd(cmd: int, body: bytes) -> bytes:
    """TeamViewer's (proprietary) command packet, as seen at the start of a session in the
    public nDPI sample: magic 0x17 0x24, command byte, little-endian 16-bit body length."""
    return b"\x17\x24" + bytes([cmd]) + struct.pack("<H", len(body)) + body


def teamviewer_data(cmd: int, seq: int, peer_seq: int, body: bytes) -> bytes:
    """TeamViewer's session data packet, laid out as in the same sample: magic 0x11 0x30,
    command, a zero byte, body length (u32 LE), this direction's counter, the last counter
    received, then two constant words (0x1b, 0x18) before the body."""
    return b"\x11\x30" + bytes([cmd, 0]) + struct.pack("<IIIII", len(body), seq, peer_seq, 0x1B, 0x18) + body


def openvpn_control(opcode: int, key_id: int, session_id: bytes, hmac: bytes, packet_id: int,
                    net_time: int, acks: list[int], remote_session: bytes | None,
                    msg_packet_id: int | None, payload: bytes = b"") -> bytes:
    """OpenVPN control channel packet with --tls-auth (HMAC-SHA1, 20 bytes) per the wire format
    in OpenVPN's ssl_pkt.h: opcode|key, session id, HMAC, replay packet-id + time, ACK array,
    remote session id (only with ACKs), message packet-id (not in a bare P_ACK)."""
    out = bytes([(opcode << 3) | key_id]) + session_id + hmac + struct.pack("!II", packet_id, net_time)
    out += bytes([len(acks)]) + b"".join(struct.pack("!I", a) for a in acks)
    if acks:
        out += remote_session
    if msg_packet_id is not None:
        out += struct.pack("!I", msg_packet_id)
    return out + payload


def openvpn_data_v2(peer_id: int, packet_id: int, rng: random.Random, inner_len: int) -> bytes:
    """P_DATA_V2 with AES-256-GCM: opcode 9 + 3-byte peer id, packet id, tag, ciphertext."""
    return bytes([(9 << 3) | 0]) + peer_id.to_bytes(3, "big") + struct.pack("!I", packet_id) \
        + rng.randbytes(16 + inner_len)


def wg_initiation(rng: random.Random, sender: int) -> bytes:
    """WireGuard handshake initiation, 148 bytes (type 1)."""
    return struct.pack("<BxxxI", 1, sender) + rng.randbytes(32 + 48 + 28 + 16) + bytes(16)


def wg_response(rng: random.Random, sender: int, receiver: int) -> bytes:
    """WireGuard handshake response, 92 bytes (type 2)."""
    return struct.pack("<BxxxII", 2, sender, receiver) + rng.randbytes(32 + 16 + 16) + bytes(16)


def wg_data(rng: random.Random, receiver: int, counter: int, inner_len: int) -> bytes:
    """WireGuard transport data (type 4): the inner packet is padded to 16 bytes; a keepalive
    has an empty inner packet and is 32 bytes."""
    padded = (inner_len + 15) // 16 * 16
    return struct.pack("<BxxxIQ", 4, receiver, counter) + rng.randbytes(padded + 16)


def ike_header(spi_i: bytes, spi_r: bytes, next_payload: int, exchange: int, flags: int,
               msg_id: int, body: bytes) -> bytes:
    return spi_i + spi_r + bytes([next_payload, 0x20, exchange, flags]) + struct.pack(
        "!II", msg_id, 28 + len(body)) + body


def ike_payload(next_payload: int, body: bytes) -> bytes:
    return bytes([next_payload, 0]) + u16(4 + len(body)) + body


def _ike_transform(last: bool, ttype: int, tid: int, keylen: int | None = None) -> bytes:
    attrs = struct.pack("!HH", 0x800E, keylen) if keylen else b""
    return bytes([0 if last else 3, 0]) + u16(8 + len(attrs)) + bytes([ttype, 0]) + u16(tid) + attrs


def ike_sa_proposal() -> bytes:
    """The IKE SA proposal (RFC 7296 s. 3.3): AES-GCM-16-256, PRF-HMAC-SHA2-256 and DH group
    31 (curve25519), the shape of strongSwan's defaults."""
    items = [(1, 20, 256), (2, 5, None), (4, 31, None)]
    body = b"".join(_ike_transform(i == len(items) - 1, ttype, tid, keylen)
                    for i, (ttype, tid, keylen) in enumerate(items))
    return bytes([0, 0]) + u16(8 + len(body)) + bytes([1, 1, 0, len(items)]) + body


def esp(spi: int, seqno: int, rng: random.Random, inner_len: int) -> bytes:
    """ESP (RFC 4303) with AES-GCM: SPI, sequence, 8-byte IV, ciphertext padded to 4, 16-byte ICV."""
    padded = (inner_len + 2 + 3) // 4 * 4
    return struct.pack("!II", spi, seqno) + rng.randbytes(8 + padded + 16)


def ssh_banner(software: str) -> bytes:
    return f"SSH-2.0-{software}\r\n".encode()


def ssh_packet(rng: random.Random, payload_len: int, encrypted: bool = True) -> bytes:
    """An SSH binary packet; once keys are in use it is ciphertext plus a 16-byte tag
    (chacha20-poly1305: 4-byte encrypted length, padded body, MAC)."""
    padded = (payload_len + 1 + 4 + 7) // 8 * 8
    return rng.randbytes(4 + padded + (16 if encrypted else 0))


def ssh_kexinit(rng: random.Random, kex: list[str], hostkey: list[str], ciphers: list[str]) -> bytes:
    """SSH_MSG_KEXINIT in cleartext (RFC 4253 s. 7.1)."""
    def namelist(names: list[str]) -> bytes:
        return struct.pack("!I", len(",".join(names))) + ",".join(names).encode()
    macs = ["umac-64-etm@openssh.com", "hmac-sha2-256-etm@openssh.com"]
    comp = ["none", "zlib@openssh.com"]
    payload = (b"\x14" + rng.randbytes(16) + namelist(kex) + namelist(hostkey) + namelist(ciphers)
               + namelist(ciphers) + namelist(macs) + namelist(macs) + namelist(comp)
               + namelist(comp) + namelist([]) + namelist([]) + b"\x00" + bytes(4))
    pad = 8 - (len(payload) + 5) % 8
    pad += 8 if pad < 4 else 0
    return struct.pack("!IB", len(payload) + pad + 1, pad) + payload + rng.randbytes(pad)
