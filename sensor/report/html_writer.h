// The forensics report as one self-contained HTML page: the report JSON, the page's own script
// and styles (sensor/report/page/, compiled in) and the map libraries and data (d3-array,
// d3-geo, topojson-client, world-atlas countries-110m, fetched by scripts/fetch-report-assets)
// are all inlined. A Content-Security-Policy of default-src 'none' keeps the page from making any
// request. Without the map assets the page is still written, with the map replaced by a note.
// Thread-safety: pure functions (LoadMapAssets reads files).
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sensor/core/status.h"

namespace parallax::report {

struct MapAssets {
  std::string d3_array, d3_geo, topojson_client, countries;  // file contents
  std::string missing;  // empty when complete; otherwise which file is missing, and the remedy
  bool complete() const { return missing.empty(); }
};

// The files scripts/fetch-report-assets installs, in the order they are inlined.
const std::vector<std::string>& MapAssetFiles();

// Reads the map assets from `dir` (data/report). A missing or empty file is named in `missing`.
MapAssets LoadMapAssets(const std::string& dir);

// Where the assets are by default: the first <data dir>/report holding d3-geo.min.js
// (data/ beside the build first; geoip/default_paths.h), else the first candidate.
std::string DefaultAssetsDir();

// Writes the page. Errors name the output.
core::Status WriteHtml(const nlohmann::ordered_json& report, const MapAssets& assets,
                       std::FILE* out, const std::string& out_name);

}  // namespace parallax::report
