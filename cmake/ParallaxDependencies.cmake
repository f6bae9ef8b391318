# Third-party dependencies, all from Debian packages (scripts/deps.txt).
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET libpcap)
pkg_check_modules(NDPI REQUIRED IMPORTED_TARGET libndpi)
pkg_check_modules(MAXMINDDB REQUIRED IMPORTED_TARGET libmaxminddb)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
