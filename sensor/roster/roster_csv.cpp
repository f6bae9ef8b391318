// The CSV roster: a header row naming the columns, then one contractor per row (RFC 4180
// quoting, so a name may contain commas and a quoted cell may span lines). Lines starting with
// '#' before a row are comments, and blank lines are skipped, so an example file can explain
// itself.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "sensor/roster/roster_fields.h"
#include "sensor/roster/roster_loaders.h"

namespace parallax::roster {
namespace {

struct CsvRow {
  std::size_t line = 0;  // where the row starts
  std::vector<std::string> cells;
};

// Splits the text into rows. Returns false (with a problem) on an unterminated quote, the only
// error that makes the rest of the file unreadable.
bool SplitRows(const std::string& file, std::string_view text, std::vector<CsvRow>* rows,
               std::vector<RosterProblem>* problems) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // spreadsheet exports add one
  std::size_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    // At the start of a row: skip comments and blank lines.
    const std::size_t eol = std::min(text.find('\n', i), n);
    const std::string_view this_line = text.substr(i, eol - i);
    if (this_line[0] == '#' || Trim(this_line).empty()) {
      i = eol + 1;
      ++line;
      continue;
    }
    CsvRow row;
    row.line = line;
    bool end_of_row = false;
    while (!end_of_row) {
      std::string cell;
      // Leading blanks before a quote are tolerated: "a, "b, c"" is a common hand-written form.
      std::size_t j = i;
      while (j < n && (text[j] == ' ' || text[j] == '\t')) ++j;
      if (j < n && text[j] == '"') {
        const std::size_t quote_line = line;
        i = j + 1;
        bool closed = false;
        while (i < n) {
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              cell.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (text[i] == '\n') ++line;
          cell.push_back(text[i++]);
        }
        if (!closed) {
          problems->push_back({file, quote_line, "", "unterminated quoted field"});
          return false;
        }
        while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
        if (i < n && text[i] != ',' && text[i] != '\n') {
          problems->push_back({file, line, "", "unexpected text after a closing quote"});
          while (i < n && text[i] != ',' && text[i] != '\n') ++i;
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n') cell.push_back(text[i++]);
        cell = std::string(Trim(cell));
      }
      row.cells.push_back(std::move(cell));
      if (i >= n) {
        end_of_row = true;
      } else if (text[i] == ',') {
        ++i;
      } else {  // '\n'
        ++i;
        ++line;
        end_of_row = true;
      }
    }
    rows->push_back(std::move(row));
  }
  return true;
}

std::optional<Field> ColumnField(const std::string& name) {
  for (int f = 0; f < kValueFieldCount; ++f) {
    if (name == CsvColumn(static_cast<Field>(f))) return static_cast<Field>(f);
  }
  return std::nullopt;
}

bool IsListField(Field f) {
  return f == Field::kDeviceIps || f == Field::kDeviceMacs || f == Field::kEgressIps ||
         f == Field::kIdentityAliases;
}

std::string ExpectedColumns() {
  std::string s;
  for (int f = 0; f < kValueFieldCount; ++f) s += (f ? "," : "") + std::string(CsvColumn(Field(f)));
  return s;
}

}  // namespace

void ReadCsvRoster(const std::string& file, std::string_view text,
                   std::vector<RosterRecord>* records, std::vector<RosterProblem>* problems) {
  std::vector<CsvRow> rows;
  if (!SplitRows(file, text, &rows, problems)) return;
  if (rows.empty()) {
    problems->push_back(
        {file, 0, "",
         "empty file: the first row must name the columns (" + ExpectedColumns() + ")"});
    return;
  }

  // Header: map each column to a field; an unknown column is refused rather than ignored,
  // because a misspelt "egress_ip" would otherwise silently drop a selector.
  const CsvRow& header = rows.front();
  std::vector<std::optional<Field>> columns;
  std::map<Field, std::size_t> seen;
  std::vector<std::size_t> unknown;
  for (std::size_t k = 0; k < header.cells.size(); ++k) {
    std::string name;
    for (char c : header.cells[k]) {
      name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    auto f = ColumnField(name);
    if (!f) {
      unknown.push_back(k);
    } else if (!seen.emplace(*f, k).second) {
      problems->push_back({file, header.line, name, "column given twice"});
      f.reset();
    }
    columns.push_back(f);
  }
  if (!seen.count(Field::kId)) {
    // Without an id column the first row is most likely data, not a header: one problem says so
    // instead of one per unknown "column".
    problems->push_back(
        {file, header.line, "id",
         "missing column; the first row must name the columns (" + ExpectedColumns() + ")"});
    return;
  }
  for (std::size_t k : unknown) {
    const std::string& name = header.cells[k];
    problems->push_back({file, header.line,
                         name.empty() ? "(column " + std::to_string(k + 1) + ")" : name,
                         "unknown column (expected " + ExpectedColumns() + ")"});
  }

  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (row.cells.size() > header.cells.size()) {
      problems->push_back({file, row.line, "",
                           std::to_string(row.cells.size()) + " cells but the header has " +
                               std::to_string(header.cells.size()) +
                               " (quote cells that contain commas)"});
    }
    RosterRecord rec;
    rec.line = row.line;
    for (std::size_t k = 0; k < row.cells.size() && k < columns.size(); ++k) {
      if (!columns[k] || Trim(row.cells[k]).empty()) continue;
      RawField& raw = rec.at(*columns[k]);
      raw.present = true;
      raw.line = row.line;
      if (IsListField(*columns[k])) {
        for (auto& item : SplitList(row.cells[k])) raw.items.push_back({std::move(item), row.line});
      } else {
        raw.items.push_back({row.cells[k], row.line});
      }
    }
    records->push_back(std::move(rec));
  }
}

}  // namespace parallax::roster
