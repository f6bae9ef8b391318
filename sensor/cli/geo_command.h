// `parallax geo IP... [--json] [--city-db F] [--asn-db F] [--anon-db F] [--list F] [--tor-list F]`
// Prints, per address, location, ASN, network type and the source that decided each.
#ifndef PARALLAX_SENSOR_CLI_GEO_COMMAND_H_
#define PARALLAX_SENSOR_CLI_GEO_COMMAND_H_

#include <CLI/CLI.hpp>

namespace parallax::cli {

// Registers the "geo" subcommand. Its callback sets `exit_code`: 0 when every address was looked
// up, 1 when a database or list could not be opened (the message names the file), 2 when an
// argument is not an IP address. `exit_code` must outlive app.parse().
void AddGeoCommand(CLI::App& app, int& exit_code);

}  // namespace parallax::cli

#endif  // PARALLAX_SENSOR_CLI_GEO_COMMAND_H_
