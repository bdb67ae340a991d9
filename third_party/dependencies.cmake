# CMake glue for Debian-packaged libraries, included from the top level so imported targets are visible
# everywhere. No copied source lives here.
find_package(PkgConfig REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET GLOBAL libpcap)
add_library(wirestep::pcap ALIAS PkgConfig::PCAP)
