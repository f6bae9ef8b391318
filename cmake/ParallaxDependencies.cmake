# Third-party dependencies, all from Debian packages (scripts/deps.txt).
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET libpcap)
pkg_check_modules(NDPI REQUIRED IMPORTED_TARGET libndpi)
pkg_check_modules(MAXMINDDB REQUIRED IMPORTED_TARGET libmaxminddb)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
# The daemon: Boost.Asio/Beast (header-only in Debian's libboost-dev), OpenSSL for TLS sinks,
# librdkafka for the Kafka sink.
find_package(Boost 1.74 REQUIRED)
find_package(OpenSSL REQUIRED)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
