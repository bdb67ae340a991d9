# CMake glue for Debian-packaged libraries, included from the top level so imported targets are visible
# everywhere. No copied source lives here.
find_package(PkgConfig REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET GLOBAL libpcap)
add_library(wirestep::pcap ALIAS PkgConfig::PCAP)
# The desktop UI (ui/gui/ only): Debian's libimgui-dev 1.86 ships one static libimgui.a that already holds the
# GLFW and OpenGL 3 backends; its imgui.pc Requires stb (libstb-dev), which also provides stb_image_write.
pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
find_package(glfw3 3.3 REQUIRED)
find_package(OpenGL REQUIRED)
