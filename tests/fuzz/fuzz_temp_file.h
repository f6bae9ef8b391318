// TempFile: for parsers that only take a path. One per-process directory (mkdtemp, removed at
// exit) and one file in it, rewritten for every input, so a long run does not churn the
// filesystem. Single-threaded: libFuzzer calls LLVMFuzzerTestOneInput from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace parallax::fuzz {

class TempFile {
 public:
  // `name` carries the extension the parser dispatches on ("roster.yaml", "db.mmdb").
  explicit TempFile(const std::string& name) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "parallax-fuzz-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();  // no temp dir: nothing can be fuzzed
    dir_ = tmpl;
    path_ = (std::filesystem::path(dir_) / name).string();
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  // Replaces the file's contents with `data`; returns its path.
  const std::string& Write(const std::uint8_t* data, std::size_t size) {
    std::FILE* f = std::fopen(path_.c_str(), "wb");
    if (!f) std::abort();
    if (size && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path_;
  }
  const std::string& dir() const { return dir_; }
  const std::string& path() const { return path_; }

 private:
  std::string dir_;
  std::string path_;
};

}  // namespace parallax::fuzz
