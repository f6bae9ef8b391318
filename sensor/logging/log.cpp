#include "sensor/logging/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

namespace parallax::log {
namespace {

struct Bucket {
  std::int64_t minute = -1;
  unsigned lines = 0;
  unsigned suppressed = 0;
};

struct State {
  std::mutex mu;
  Level min_level = Level::kInfo;
  unsigned burst = 20;
  std::map<std::string, Bucket, std::less<>> buckets;
};

State& S() {
  static State s;
  return s;
}

std::string_view LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

}  // namespace

std::string Rfc3339Millis(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const auto secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

void SetLevel(Level min_level) {
  std::lock_guard lock(S().mu);
  S().min_level = min_level;
}

bool ParseLevel(std::string_view name, Level* out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (LevelName(l) == name) {
      *out = l;
      return true;
    }
  }
  return false;
}

void SetBurst(unsigned lines_per_minute) {
  std::lock_guard lock(S().mu);
  S().burst = lines_per_minute;
}

void Write(Level level, std::string_view component, std::string_view msg,
           std::initializer_list<Field> fields) {
  State& s = S();
  std::lock_guard lock(s.mu);
  if (level < s.min_level) return;
  std::string key(component);
  key += '\0';
  key += msg;
  Bucket& b = s.buckets[key];
  const std::int64_t minute =
      std::chrono::duration_cast<std::chrono::minutes>(
          std::chrono::steady_clock::now().time_since_epoch())
          .count();
  if (b.minute != minute) {
    b.minute = minute;
    b.lines = 0;
  }
  if (s.burst && b.lines >= s.burst) {
    ++b.suppressed;
    return;
  }
  ++b.lines;
  nlohmann::ordered_json j;
  j["ts"] = Rfc3339Millis(std::chrono::system_clock::now());
  j["level"] = LevelName(level);
  j["component"] = component;
  j["msg"] = msg;
  for (const auto& [k, v] : fields) j[std::string(k)] = v;
  if (b.suppressed) {
    j["suppressed"] = b.suppressed;
    b.suppressed = 0;
  }
  const std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace parallax::log
