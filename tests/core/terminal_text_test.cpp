// ForTerminal: what reaches a terminal from roster names, policy text and problem messages.
#include "sensor/core/terminal_text.h"

#include <catch2/catch.hpp>
#include <string>

using parallax::core::ForTerminal;

TEST_CASE("control characters are escaped for terminals, other text is kept") {
  CHECK(ForTerminal("Jane Doe") == "Jane Doe");
  CHECK(ForTerminal("Zo\xc3\xab M\xc3\xbcller, \xe6\x9d\x8e") == "Zo\xc3\xab M\xc3\xbcller, \xe6\x9d\x8e");
  CHECK(ForTerminal("CORP\\jdoe") == "CORP\\jdoe");  // a backslash is not a control
  CHECK(ForTerminal("\x1b[2J\x1b]0;title\x07") == "\\x1b[2J\\x1b]0;title\\x07");
  CHECK(ForTerminal("a\r\nb\tc") == "a\\r\\nb\\tc");
  CHECK(ForTerminal(std::string("n\0ul", 4)) == "n\\x00ul");
  CHECK(ForTerminal("del\x7f") == "del\\x7f");
  CHECK(ForTerminal("csi\xc2\x9b" "31m") == "csi\\u009b31m");  // C1 CSI as UTF-8
  CHECK(ForTerminal("\xc2\xa0nbsp") == "\xc2\xa0nbsp");          // U+00A0 is printable
  CHECK(ForTerminal("\xc2") == "\xc2");                            // a cut sequence stays
  CHECK(ForTerminal(ForTerminal("\x1b[31m")) == ForTerminal("\x1b[31m"));  // idempotent
}
