// The page's own script and styles (sensor/report/page/report.js, report.css), compiled into the
// binary by CMake (page_assets.cpp.in) so that `parallax report` needs no source tree.
#pragma once

namespace parallax::report {

extern const char kReportScript[];
extern const char kReportStyles[];

}  // namespace parallax::report
