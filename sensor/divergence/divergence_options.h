// DivergenceOptions: every threshold of the location-divergence detections, with its default and
// the reason (docs/detections.md has the same table). Sanitize() clamps them.
#pragma once

#include <optional>

#include "sensor/core/time.h"

namespace parallax::divergence {

struct DivergenceOptions {
  // Where the sensor is (latitude, longitude): latency checks measure from here. Without it the
  // latency detection is off (and says so once).
  std::optional<double> sensor_latitude;
  std::optional<double> sensor_longitude;

  // Alerts are deduplicated per contractor, kind and window; evidence is kept per window.
  // A day matches a SOC's triage rhythm and a working day of activity.
  core::TimeUs window = core::Seconds(24 * 3600);

  // location_mismatch: beyond the database's accuracy radius (or this default where the database
  // gives none: DB-IP Lite never does; MaxMind's city radii are typically 20-100 km) plus a
  // margin for commuting and mobile carriers' regional gateways.
  double default_accuracy_km = 50;
  double location_margin_km = 150;
  // A far egress in the claimed country on at most this many days of the look-back, while the
  // home line near the claimed place is seen too, is a trip (business travel, a visit), low.
  int travel_max_days = 3;
  // impossible_travel: the fastest a person travels between two sign-ins. An airliner cruises
  // at 850-930 km/h; with tailwinds and great-circle routes 1000 km/h covers any honest flight
  // (taxiing and boarding only make real journeys slower). Clamped to 100..5000.
  double travel_speed_kmh = 1000;

  // latency_inconsistent: RTT physics (BACKGROUND.md). Light in fibre: 100 km per ms of RTT.
  // A claimed place farther than min_rtt allows at stretch 1 (a straight fibre), less this
  // tolerance for clock and timestamp jitter, is impossible.
  double impossible_tolerance_ms = 1.0;
  // Expected ceiling: distance x poor-path stretch 2.0 / 100 plus a fixed allowance for
  // last-mile (DSL/cable/Wi-Fi), queuing and the sensor's own hop; above it there is an extra leg.
  double last_mile_allowance_ms = 30;
  // Mobile carriers add radio access delay (LTE/5G scheduling, 20-60 ms even at the minimum)
  // on top of the last mile: an honest worker on a phone's hotspot is not a relay.
  double mobile_allowance_ms = 40;
  // Minimum handshakes before the minimum RTT is trusted (queues only add delay: the minimum of
  // several converges on the path's propagation delay). Counted over the evidence look-back, so
  // a contractor who connects twice a day is judged after the second day.
  int min_rtt_samples = 3;

  // remote_controlled_device: a controller in another country than the claimed one is severe.
  // A meeting's screen share counts as remote control only when it lasts this long (a working
  // day: the 8-hour shares of the laptop-farm cases; calls of 1-3 hours are ordinary work).
  double meeting_workday_s = 6 * 3600;
  // shared_egress: more distinct contractors than this behind one public address in a window.
  int max_contractors_per_egress = 1;

  // off_hours: at least this many activity events (flow starts) before judging the hours; the
  // best-fitting UTC offset must explain this share of activity and the claimed offset at most
  // `off_hours_claimed_max_share`, and differ by at least `off_hours_min_shift_h` hours.
  int off_hours_min_events = 20;
  double off_hours_min_share = 0.7;
  double off_hours_claimed_max_share = 0.5;
  int off_hours_min_shift_h = 3;
  // Evidence builds over days: RTT minima, the hours histogram, egress history and remote-control
  // sessions are judged over the contractor's windows within this look-back (a working week and
  // its weekend). Windows older than this are retired (DivergenceEngine::Retire).
  core::TimeUs evidence_lookback = core::Seconds(7 * 24 * 3600);

  // colocated_desktop "the hosted session carries the working day": a graphical session to a
  // hosted machine lasting at least this long while the device opens fewer than
  // `colocated_idle_flows_per_hour` other connections per hour of that session (a laptop in use
  // opens hundreds: DNS, mail, chat, updates; a thin client driving a remote desktop, a handful).
  double colocated_workday_s = 4 * 3600;
  double colocated_idle_flows_per_hour = 20;

  void Sanitize();
};

}  // namespace parallax::divergence
