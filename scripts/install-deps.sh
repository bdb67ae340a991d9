#!/usr/bin/env bash
# Installs the Debian 12 packages wirestep builds and tests with. Idempotent: only missing packages are fetched.
set -euo pipefail
build_pkgs=(build-essential cmake pkg-config ninja-build
  libpcap-dev libglfw3-dev libimgui-dev libstb-dev libgl-dev
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libfmt-dev fonts-dejavu-core fonts-wqy-microhei
  iproute2 nftables ethtool)
test_pkgs=(libgtest-dev libgmock-dev libbenchmark-dev tshark tcpdump xvfb xauth clang
  librsvg2-bin libxml2-utils)
want=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then want+=("${test_pkgs[@]}"); fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
