#!/usr/bin/env bash
# The build entry point of tally. Two commands do all the set-up:
#   ./build.sh demo   install what is missing, build, run a demo month on a fresh ledger
#   ./build.sh test   install what is missing, build, run every test (ctest)
# Other verbs: deps (install only), build, bench, asan (tests under ASan+UBSan), fuzz.
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# Debian 12 packages: build tools and libraries, then what only the tests use.
BUILD_PACKAGES=(g++ cmake make pkg-config libcli11-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev
  libhowardhinnant-date-dev nlohmann-json3-dev libssl-dev)
TEST_PACKAGES=(catch2 sqlite3 jq python3)

install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "build.sh: installing ${missing[*]}" >&2
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "build.sh: run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

configure_and_build() {
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

case "${1:-demo}" in
  deps)
    install_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}" ;;
  build)
    install_packages "${BUILD_PACKAGES[@]}"
    configure_and_build -DTALLY_BUILD_TESTS=OFF ;;
  demo)
    install_packages "${BUILD_PACKAGES[@]}"
    configure_and_build -DTALLY_BUILD_TESTS=OFF
    TALLY="$PWD/$BUILD_DIR/tally" bash data/demo/demo.sh ;;
  test)
    install_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    configure_and_build -DTALLY_BUILD_TESTS=ON
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" ;;
  *)
    echo "usage: ./build.sh [demo|test|deps|build]" >&2; exit 2 ;;
esac
