#include "sensor/divergence/alert_store.h"

#include <sqlite3.h>

#include <functional>

namespace parallax::divergence {
namespace {

struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

}  // namespace

core::Status AlertStore::Open(const std::string& path, std::unique_ptr<AlertStore>* out) {
  std::unique_ptr<AlertStore> st(new AlertStore());
  st->path_ = path;
  if (sqlite3_open(path.c_str(), &st->db_) != SQLITE_OK) {
    return core::Status::Error(path + ": cannot open alert store: " +
                               (st->db_ ? sqlite3_errmsg(st->db_) : "out of memory"));
  }
  const char* schema =
      "PRAGMA journal_mode=WAL;"
      "CREATE TABLE IF NOT EXISTS alerts ("
      "  id TEXT PRIMARY KEY, contractor TEXT NOT NULL, kind TEXT NOT NULL,"
      "  window_start INTEGER NOT NULL, weight INTEGER NOT NULL, times_emitted INTEGER NOT NULL,"
      "  explanation TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS evidence ("
      "  contractor TEXT NOT NULL, window_start INTEGER NOT NULL, json TEXT NOT NULL,"
      "  PRIMARY KEY (contractor, window_start));"
      "CREATE TABLE IF NOT EXISTS retention (id INTEGER PRIMARY KEY CHECK (id = 1),"
      "  retired_before INTEGER NOT NULL);";
  // The schema is a constant script of several statements (no input in it): sqlite3_exec runs it;
  // every query afterwards is a prepared statement with bound parameters.
  char* err = nullptr;
  if (sqlite3_exec(st->db_, schema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    return core::Status::Error(path + ": not a usable alert store: " + m);
  }
  // Stores written before alerts kept their severity gain the column (a severity that rises is
  // news: engine.cpp re-emits the alert). Old rows take the lowest, 3.
  bool has_severity = false;
  {
    Stmt q;
    if (sqlite3_prepare_v2(st->db_, "SELECT name FROM pragma_table_info('alerts')", -1, &q.s,
                           nullptr) == SQLITE_OK) {
      while (sqlite3_step(q.s) == SQLITE_ROW) {
        const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(q.s, 0));
        has_severity = has_severity || (name && std::string(name) == "severity");
      }
    }
  }
  if (!has_severity) {
    Stmt q;
    if (sqlite3_prepare_v2(st->db_,
                           "ALTER TABLE alerts ADD COLUMN severity INTEGER NOT NULL DEFAULT 3", -1,
                           &q.s, nullptr) != SQLITE_OK ||
        sqlite3_step(q.s) != SQLITE_DONE) {
      return core::Status::Error(path + ": not a usable alert store: " +
                                 sqlite3_errmsg(st->db_));
    }
  }
  *out = std::move(st);
  return core::Status::Ok();
}

AlertStore::~AlertStore() { sqlite3_close(db_); }

std::map<std::string, EmittedAlert> AlertStore::EmittedAlerts() const {
  std::map<std::string, EmittedAlert> out;
  Stmt q;
  if (sqlite3_prepare_v2(db_, "SELECT id, weight, window_start, severity FROM alerts", -1, &q.s,
                         nullptr) != SQLITE_OK) {
    return out;
  }
  while (sqlite3_step(q.s) == SQLITE_ROW) {
    const auto* id = reinterpret_cast<const char*>(sqlite3_column_text(q.s, 0));
    out[id ? id : ""] = {static_cast<std::uint64_t>(sqlite3_column_int64(q.s, 1)),
                         sqlite3_column_int64(q.s, 2), sqlite3_column_int(q.s, 3)};
  }
  return out;
}

// Every write: prepare, bind, step; a failure is counted (errors()), never thrown.
void AlertStore::Write(const char* sql, const std::function<void(sqlite3_stmt*)>& bind) {
  Stmt q;
  if (sqlite3_prepare_v2(db_, sql, -1, &q.s, nullptr) != SQLITE_OK) {
    ++errors_;
    return;
  }
  if (bind) bind(q.s);
  if (sqlite3_step(q.s) != SQLITE_DONE) ++errors_;
}

void AlertStore::Record(const Alert& a) {
  const char* sql =
      "INSERT INTO alerts (id, contractor, kind, window_start, weight, times_emitted, explanation,"
      " severity) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7)"
      " ON CONFLICT(id) DO UPDATE SET weight = excluded.weight,"
      " times_emitted = times_emitted + 1, explanation = excluded.explanation,"
      " severity = excluded.severity";
  const std::string id = a.Id();
  Write(sql, [&](sqlite3_stmt* q) {
    sqlite3_bind_text(q, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, a.contractor_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, AlertKindName(a.kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, a.window_start);
    sqlite3_bind_int64(q, 5, static_cast<sqlite3_int64>(a.count));
    sqlite3_bind_text(q, 6, a.explanation.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(q, 7, a.severity);
  });
}

void AlertStore::SaveEvidence(const std::string& contractor, core::TimeUs window_start,
                              const std::string& json) {
  Write("INSERT INTO evidence (contractor, window_start, json) VALUES (?1, ?2, ?3)"
        " ON CONFLICT(contractor, window_start) DO UPDATE SET json = excluded.json",
        [&](sqlite3_stmt* q) {
          sqlite3_bind_text(q, 1, contractor.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64(q, 2, window_start);
          sqlite3_bind_text(q, 3, json.c_str(), -1, SQLITE_TRANSIENT);
        });
}

std::vector<std::tuple<std::string, core::TimeUs, std::string>> AlertStore::LoadEvidence() const {
  std::vector<std::tuple<std::string, core::TimeUs, std::string>> out;
  Stmt q;
  if (sqlite3_prepare_v2(db_, "SELECT contractor, window_start, json FROM evidence", -1, &q.s,
                         nullptr) != SQLITE_OK) {
    return out;
  }
  while (sqlite3_step(q.s) == SQLITE_ROW) {
    const auto* c = reinterpret_cast<const char*>(sqlite3_column_text(q.s, 0));
    const auto* j = reinterpret_cast<const char*>(sqlite3_column_text(q.s, 2));
    out.emplace_back(c ? c : "", sqlite3_column_int64(q.s, 1), j ? j : "");
  }
  return out;
}

void AlertStore::DeleteEvidence(const std::string& contractor, core::TimeUs window_start) {
  Write("DELETE FROM evidence WHERE contractor = ?1 AND window_start = ?2",
        [&](sqlite3_stmt* q) {
          sqlite3_bind_text(q, 1, contractor.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64(q, 2, window_start);
        });
}

void AlertStore::SetRetiredBefore(core::TimeUs ts) {
  Write("INSERT INTO retention (id, retired_before) VALUES (1, ?1)"
        " ON CONFLICT(id) DO UPDATE SET retired_before = excluded.retired_before",
        [&](sqlite3_stmt* q) { sqlite3_bind_int64(q, 1, ts); });
}

std::optional<core::TimeUs> AlertStore::RetiredBefore() const {
  Stmt q;
  if (sqlite3_prepare_v2(db_, "SELECT retired_before FROM retention WHERE id = 1", -1, &q.s,
                         nullptr) != SQLITE_OK) {
    return std::nullopt;
  }
  if (sqlite3_step(q.s) != SQLITE_ROW) return std::nullopt;
  return sqlite3_column_int64(q.s, 0);
}

// One transaction per evaluation: all of it lands, or none (a crash mid-way loses no old state).
// Prepared statements like every other query (nothing here takes input, but one rule is simpler
// to check than exceptions to it).
void AlertStore::Begin() { Write("BEGIN IMMEDIATE"); }
void AlertStore::Commit() { Write("COMMIT"); }

}  // namespace parallax::divergence
