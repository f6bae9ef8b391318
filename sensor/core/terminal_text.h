// ForTerminal: text from files and the wire (roster names, policy reasons, city names, problem
// messages that quote a value) made safe to print on a terminal. A roster name holding ESC [2J
// or CR LF would otherwise clear the analyst's screen or forge a line of `roster check` output.
// C0 controls and DEL become \n, \r, \t or \xNN; C1 controls (U+0080..U+009F, which some
// terminals obey as CSI and friends) become \u00NN; everything else, backslashes and non-ASCII
// UTF-8 included, is kept. JSON output does not need it (JSON escapes its own controls).
// Thread-safe: pure.
#pragma once

#include <string>
#include <string_view>

namespace parallax::core {

std::string ForTerminal(std::string_view text);

}  // namespace parallax::core
