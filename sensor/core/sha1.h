// SHA-1 (FIPS 180-4), only for Community ID hashing: not for anything security-relevant.
// Written here so sensor/core needs no crypto library. Thread-safety: a value type.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace parallax::core {

class Sha1 {
 public:
  Sha1();
  void Update(const void* data, std::size_t len);
  std::array<std::uint8_t, 20> Final();

 private:
  void Block(const std::uint8_t* p);
  std::array<std::uint32_t, 5> h_;
  std::array<std::uint8_t, 64> buf_{};
  std::size_t buf_len_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace parallax::core
