// How much an analyzer that relays nDPI's verdict trusts it, from nDPI's own confidence label.
#pragma once

#include "sensor/core/classification.h"

namespace parallax::analyzers {

inline double NdpiConfidence(const core::Classification& c) {
  if (c.guessed) return 0.45;                      // a port or address guess at give-up
  if (c.confidence == "DPI") return 0.95;          // payload inspection
  if (c.confidence == "Match by IP") return 0.7;   // nDPI's address lists
  if (c.confidence == "Match by port") return 0.5;
  return 0.6;
}

}  // namespace parallax::analyzers
