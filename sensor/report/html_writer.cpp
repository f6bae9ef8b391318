#include "sensor/report/html_writer.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "geoip/default_paths.h"
#include "sensor/report/page_assets.h"

namespace parallax::report {
namespace {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return in.good() || in.eof();
}

std::string SelfExe() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

// Text inside <script>: "</script" (or "<!--") would end or confuse the element. In JSON, '<'
// only occurs inside strings, where \u003c means the same; in the libraries, "<\/" is the same
// string.
std::string ForScriptJson(std::string s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

std::string ForScriptCode(std::string s) {
  for (std::size_t pos = 0; (pos = s.find("</", pos)) != std::string::npos; pos += 3) {
    s.replace(pos, 2, "<\\/");
  }
  return s;
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

const std::vector<std::string>& MapAssetFiles() {
  static const std::vector<std::string> kFiles = {"d3-array.min.js", "d3-geo.min.js",
                                                  "topojson-client.min.js", "countries-110m.json"};
  return kFiles;
}

MapAssets LoadMapAssets(const std::string& dir) {
  MapAssets a;
  std::string* dest[] = {&a.d3_array, &a.d3_geo, &a.topojson_client, &a.countries};
  for (std::size_t i = 0; i < MapAssetFiles().size(); ++i) {
    const std::string path = (std::filesystem::path(dir) / MapAssetFiles()[i]).string();
    if (!ReadFile(path, dest[i]) || dest[i]->empty()) {
      a.missing = path +
                  " is missing (run scripts/fetch-report-assets, or point --assets at a "
                  "folder holding " +
                  MapAssetFiles()[i] + ")";
      return a;
    }
  }
  // A torn or wrong map file would stop the page's script; refuse it here, saying where.
  try {
    const auto world = nlohmann::json::parse(a.countries);
    if (!world.contains("objects") || !world["objects"].contains("countries")) {
      a.missing = (std::filesystem::path(dir) / "countries-110m.json").string() +
                  " is not world-atlas TopoJSON (no objects.countries)";
    }
  } catch (const nlohmann::json::parse_error& e) {
    a.missing = (std::filesystem::path(dir) / "countries-110m.json").string() +
                " is not valid JSON (byte " + std::to_string(e.byte) +
                "; run scripts/fetch-report-assets after deleting it)";
  }
  return a;
}

std::string DefaultAssetsDir() {
  const auto dirs = geoip::DefaultDataDirs(SelfExe());
  for (const auto& d : dirs) {
    const auto p = std::filesystem::path(d) / "report";
    std::error_code ec;
    if (std::filesystem::exists(p / "d3-geo.min.js", ec)) return p.string();
  }
  return dirs.empty() ? std::string("data/report")
                      : (std::filesystem::path(dirs.front()) / "report").string();
}

core::Status WriteHtml(const nlohmann::ordered_json& report, const MapAssets& assets,
                       std::FILE* out, const std::string& out_name) {
  std::string page;
  page.reserve(512 * 1024);
  page +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      // Nothing may leave the page: no fetch, no image, no font, no frame.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Parallax forensics report</title>\n<style>\n";
  page += kReportStyles;
  page += "</style>\n</head>\n<body";
  if (!assets.complete()) {
    page +=
        " data-map-missing=\"" + HtmlEscape("Map not available: " + assets.missing + ".") + "\"";
  }
  page +=
      ">\n<header class=\"page\"><h1>Parallax forensics report</h1>"
      "<div class=\"meta\" id=\"meta\"></div></header>\n<main id=\"report\">"
      "<noscript><p>This report draws its pictures with JavaScript; the data is in the "
      "report-data element of this file.</p></noscript></main>\n";
  page += "<script type=\"application/json\" id=\"report-data\">";
  // Invalid UTF-8 (a city or relay name from a database, a roster name) becomes U+FFFD
  // instead of an exception: the page is written whatever the strings hold.
  page += ForScriptJson(report.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  page += "</script>\n";
  if (assets.complete()) {
    page += "<script type=\"application/json\" id=\"world-data\">";
    page += ForScriptJson(assets.countries);
    page += "</script>\n<script>";
    page += ForScriptCode(assets.d3_array);
    page += "</script>\n<script>";
    page += ForScriptCode(assets.d3_geo);
    page += "</script>\n<script>";
    page += ForScriptCode(assets.topojson_client);
    page += "</script>\n";
  }
  if (assets.complete()) {
    // The libraries' licences ask for their notice in every copy; the minified files keep theirs,
    // the map data has none of its own.
    page +=
        "<footer class=\"credits\">Map: world-atlas countries-110m (Natural Earth, public "
        "domain); d3-geo, d3-array, topojson-client &copy; Mike Bostock, ISC licence; "
        "GeographicLib parts of d3-geo &copy; Charles Karney, MIT licence.</footer>\n";
  }
  page += "<script>\n";
  page += ForScriptCode(kReportScript);
  page += "</script>\n</body>\n</html>\n";
  if (std::fwrite(page.data(), 1, page.size(), out) != page.size() || std::fflush(out) != 0) {
    return core::Status::Error(out_name + ": cannot write: " + std::strerror(errno));
  }
  return core::Status::Ok();
}

}  // namespace parallax::report
