#include "sensor/sinks/syslog_format.h"

#include <array>
#include <cstdio>
#include <ctime>
#include <utility>

#include <nlohmann/json.hpp>

#include "sensor/logging/log.h"

namespace parallax::sinks {
namespace {

std::string HeaderField(std::string_view value, std::size_t max_len) {
  if (value.empty()) return "-";
  std::string out(value.substr(0, max_len));
  for (char& c : out) {
    if (c < 33 || c > 126) c = '_';
  }
  return out;
}

}  // namespace

bool ParseSyslogFacility(std::string_view name, int* code) {
  static constexpr std::array<std::pair<std::string_view, int>, 20> kFacilities = {{
      {"kern", 0}, {"user", 1}, {"mail", 2}, {"daemon", 3}, {"auth", 4}, {"syslog", 5},
      {"lpr", 6}, {"news", 7}, {"uucp", 8}, {"cron", 9}, {"authpriv", 10}, {"ftp", 11},
      {"local0", 16}, {"local1", 17}, {"local2", 18}, {"local3", 19}, {"local4", 20},
      {"local5", 21}, {"local6", 22}, {"local7", 23},
  }};
  for (const auto& [n, c] : kFacilities) {
    if (n == name) {
      *code = c;
      return true;
    }
  }
  return false;
}

int SyslogSeverity(const Record& record) {
  constexpr int kCrit = 2, kErr = 3, kWarning = 4, kNotice = 5;
  if (record.type != output::EventType::kAlert) return kNotice;
  const auto doc = nlohmann::json::parse(record.json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return kWarning;
  const auto alert = doc.find("alert");
  if (alert == doc.end() || !alert->is_object()) return kWarning;
  const auto sev = alert->find("severity");
  if (sev == alert->end() || !sev->is_number_integer()) return kWarning;
  switch (sev->get<long long>()) {
    case 1: return kCrit;
    case 2: return kErr;
    default: return kWarning;
  }
}

std::string FormatSyslog(const Record& record, const SyslogHeader& header,
                         std::chrono::system_clock::time_point now) {
  std::string out = "<" + std::to_string(header.facility * 8 + SyslogSeverity(record)) + ">1 ";
  out += log::Rfc3339Millis(now);
  out += ' ';
  out += HeaderField(header.hostname, 255);
  out += ' ';
  out += HeaderField(header.app_name, 48);
  out += ' ';
  out += HeaderField(header.procid, 128);
  out += ' ';
  out += HeaderField(output::EventTypeName(record.type), 32);
  out += " - ";
  out += record.json;
  return out;
}

std::string OctetCountingFrame(std::string_view message) {
  std::string out = std::to_string(message.size());
  out += ' ';
  out += message;
  return out;
}

}  // namespace parallax::sinks
