"""Building blocks for scripts/gen-sessions.py (synthetic, deterministic session captures).

net        hosts, OS profiles, the capture writer and the TCP/UDP flow builders
wire       byte-level message builders: TLS/DTLS, X.509 DER, DNS, STUN, protobuf
behaviour  timing models: human input, screen updates, tunnelled browsing
"""
