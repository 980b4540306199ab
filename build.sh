#!/usr/bin/env bash
# The build entry point of tally. Two commands do all the set-up:
#   ./build.sh demo   install what is missing, build, run a demo month on a fresh ledger
#   ./build.sh test   install what is missing, build, run every test (ctest); with
#                     TALLY_TEST_ASAN=1, then again under ASan + UBSan (asan)
# Other verbs: deps (install only), build,
#   bench [ARGS]      Release build (build-bench) and the benchmark of tests/bench
#                     (docs/performance.md); ARGS go to tests/bench/bench.py
#   asan              only the sanitizer suite (its own tree, build-asan)
#   fuzz [SECONDS]    the libFuzzer targets built with clang (build-fuzz), each run
#                     SECONDS (default 60) from tests/fuzz/corpus
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# Debian 12 packages: build tools and libraries, then what only the tests use.
BUILD_PACKAGES=(g++ cmake make pkg-config libcli11-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev
  libhowardhinnant-date-dev nlohmann-json3-dev nettle-dev libxml2-dev
  libcairo2-dev libpango1.0-dev libqpdf-dev libkainjow-mustache-dev fonts-dejavu-core colord-data)
TEST_PACKAGES=(catch2 sqlite3 jq python3 python3-jsonschema chromium libxml2-utils hledger qpdf poppler-utils zsh fish)
# Only ./build.sh fuzz needs clang and its libFuzzer runtime.
FUZZ_PACKAGES=(clang libclang-rt-14-dev)

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

# The whole ctest suite built with -fsanitize=address,undefined in its own tree:
# any sanitizer report fails the test that triggered it.
run_asan() {
  BUILD_DIR=${ASAN_BUILD_DIR:-build-asan} configure_and_build -DTALLY_BUILD_TESTS=ON -DTALLY_SANITIZE=ON
  ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    ctest --test-dir "${ASAN_BUILD_DIR:-build-asan}" --output-on-failure -j "$JOBS"
}

# Builds the libFuzzer targets with clang and runs each for $1 seconds; new
# inputs land in build-fuzz/corpus/AREA (merge the useful ones into
# tests/fuzz/corpus/AREA with fuzz_AREA -merge=1, see docs/architecture.md).
run_fuzz() {
  local seconds=${1:-60} dir=${FUZZ_BUILD_DIR:-build-fuzz} target area
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTALLY_BUILD_TESTS=OFF -DTALLY_FUZZ=ON \
    -DCMAKE_CXX_COMPILER=clang++ >/dev/null
  local targets=()
  for target in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$target" .cpp)"); done
  cmake --build "$dir" -j "$JOBS" --target "${targets[@]}"
  for target in "${targets[@]}"; do
    area=${target#fuzz_}
    target=$dir/tests/fuzz/$target
    mkdir -p "$dir/corpus/$area"
    echo "build.sh: fuzzing $area for $seconds s" >&2
    "$target" -max_total_time="$seconds" -print_final_stats=1 "$dir/corpus/$area" "tests/fuzz/corpus/$area"
  done
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
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"
    # The sanitizer suite doubles the build: on when TALLY_TEST_ASAN=1 (see docs/architecture.md).
    if [ "${TALLY_TEST_ASAN:-0}" = 1 ]; then run_asan; fi ;;
  asan)
    install_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    run_asan ;;
  fuzz)
    install_packages "${BUILD_PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
    run_fuzz "${2:-60}" ;;
  bench)
    install_packages "${BUILD_PACKAGES[@]}" sqlite3 python3 time
    BUILD_DIR=build-bench BUILD_TYPE=Release configure_and_build -DTALLY_BUILD_TESTS=OFF -DTALLY_BENCH=ON
    shift
    python3 tests/bench/bench.py --tally build-bench/tally --gen build-bench/tests/bench/gen_ledger \
      --work build-bench/ledgers "$@" ;;
  *)
    echo "usage: ./build.sh [demo|test|deps|build|asan|fuzz [SECONDS]|bench [ARGS]]" >&2; exit 2 ;;
esac
