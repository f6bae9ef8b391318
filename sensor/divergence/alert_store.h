// AlertStore: alert history in SQLite, so a restart or a second `read` with the same store does
// not repeat an alert (each is re-emitted only when its evidence grew). Every query is a prepared
// statement. ":memory:" gives a fresh store for one run.
// Thread-safety: REQUIRES external synchronization.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "sensor/core/status.h"
#include "sensor/core/time.h"
#include "sensor/divergence/alert.h"

struct sqlite3;
struct sqlite3_stmt;

namespace parallax::divergence {

class AlertStore {
 public:
  static core::Status Open(const std::string& path, std::unique_ptr<AlertStore>* out);
  ~AlertStore();
  AlertStore(const AlertStore&) = delete;
  AlertStore& operator=(const AlertStore&) = delete;

  // alert id -> its weight when last emitted, and its window
  std::map<std::string, EmittedAlert> EmittedAlerts() const;
  // Records an emitted alert (insert or update); errors are counted, not thrown.
  void Record(const Alert& alert);
  // Evidence per contractor and window, saved after every evaluation and loaded at start.
  void SaveEvidence(const std::string& contractor, core::TimeUs window_start,
                    const std::string& json);
  // (contractor, window start, json) rows.
  std::vector<std::tuple<std::string, core::TimeUs, std::string>> LoadEvidence() const;
  // Retention (DivergenceEngine::Retire): a retired window's evidence leaves the store (its
  // alerts stay, as history), and the retirement point survives a restart.
  void DeleteEvidence(const std::string& contractor, core::TimeUs window_start);
  void SetRetiredBefore(core::TimeUs ts);
  std::optional<core::TimeUs> RetiredBefore() const;  // none when nothing was retired
  void Begin();
  void Commit();
  std::uint64_t errors() const { return errors_; }

 private:
  AlertStore() = default;
  void Write(const char* sql, const std::function<void(sqlite3_stmt*)>& bind = {});
  sqlite3* db_ = nullptr;
  std::string path_;
  std::uint64_t errors_ = 0;
};

}  // namespace parallax::divergence
