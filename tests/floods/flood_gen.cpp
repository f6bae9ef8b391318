// flood-gen: writes a classic pcap on stdout: a base capture (Ethernet) with a flood of TCP SYNs
// from random 5-tuples merged into it in time order. For the flood test (tests/floods/), which
// pipes it into `parallax read -` so 10 million packets never touch the disk.
//
// usage: flood-gen BASE.pcap FLOOD_PACKETS START_S DURATION_S [SEED]
//   the flood starts START_S seconds after the base capture's first packet and lasts DURATION_S;
//   every flood packet has a fresh random source and destination address and port.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace {

struct Record {
  std::uint32_t sec, usec, caplen, len;
  std::vector<unsigned char> data;
};

bool ReadRecord(std::FILE* f, Record* r) {
  std::uint32_t h[4];
  if (std::fread(h, 4, 4, f) != 4) return false;
  r->sec = h[0];
  r->usec = h[1];
  r->caplen = h[2];
  r->len = h[3];
  if (r->caplen > 262144) return false;
  r->data.resize(r->caplen);
  return std::fread(r->data.data(), 1, r->caplen, f) == r->caplen;
}

void WriteRecord(const Record& r) {
  const std::uint32_t h[4] = {r.sec, r.usec, r.caplen, r.len};
  std::fwrite(h, 4, 4, stdout);
  std::fwrite(r.data.data(), 1, r.caplen, stdout);
}

Record SynPacket(std::mt19937_64& rng, std::uint64_t ts_us) {
  Record r;
  r.sec = static_cast<std::uint32_t>(ts_us / 1000000);
  r.usec = static_cast<std::uint32_t>(ts_us % 1000000);
  unsigned char p[54] = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00,
                         0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0};
  const std::uint64_t a = rng(), b = rng();
  std::memcpy(p + 26, &a, 4);          // source address
  std::memcpy(p + 30, &b, 4);          // destination address
  std::memcpy(p + 34, reinterpret_cast<const char*>(&a) + 4, 2);  // source port
  std::memcpy(p + 36, reinterpret_cast<const char*>(&b) + 4, 2);  // destination port
  p[46] = 0x50;                        // TCP header length 20
  p[47] = 0x02;                        // SYN
  p[48] = 0xff;
  p[49] = 0xff;                        // window
  r.caplen = r.len = sizeof p;
  r.data.assign(p, p + sizeof p);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: flood-gen BASE.pcap FLOOD_PACKETS START_S DURATION_S [SEED]\n");
    return 2;
  }
  std::FILE* base = std::fopen(argv[1], "rb");
  if (!base) {
    std::perror(argv[1]);
    return 2;
  }
  unsigned char gh[24];
  if (std::fread(gh, 1, 24, base) != 24 || std::memcmp(gh, "\xd4\xc3\xb2\xa1", 4) != 0) {
    std::fprintf(stderr, "%s: not a little-endian microsecond pcap\n", argv[1]);
    return 2;
  }
  const std::uint64_t flood = std::strtoull(argv[2], nullptr, 10);
  const double start_s = std::atof(argv[3]), duration_s = std::atof(argv[4]);
  std::mt19937_64 rng(argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1);
  std::fwrite(gh, 1, 24, stdout);

  Record r;
  bool have = ReadRecord(base, &r);
  if (!have) return 1;
  const std::uint64_t first = std::uint64_t{r.sec} * 1000000 + r.usec;
  const std::uint64_t flood_start = first + static_cast<std::uint64_t>(start_s * 1e6);
  const double step = flood ? duration_s * 1e6 / static_cast<double>(flood) : 0;
  std::uint64_t sent = 0;
  while (have || sent < flood) {
    const std::uint64_t next_flood =
        flood_start + static_cast<std::uint64_t>(step * static_cast<double>(sent));
    const std::uint64_t next_base = have ? std::uint64_t{r.sec} * 1000000 + r.usec : UINT64_MAX;
    if (sent < flood && next_flood < next_base) {
      WriteRecord(SynPacket(rng, next_flood));
      ++sent;
    } else {
      WriteRecord(r);
      have = ReadRecord(base, &r);
    }
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}
