#!/usr/bin/env bash
# Installs everything Malchin needs to build, test and run on Debian 12
# (bookworm), from Debian's packages only. Idempotent: when every package is
# already installed it does nothing (no apt-get update).
#
#   scripts/setup.sh            build, test and run
#   scripts/setup.sh --bench    also the tools benchmarks compare against (R)
set -euo pipefail

packages=(
  # Toolchain
  g++ cmake ninja-build pkg-config clang-format git
  # Libraries
  libsqlite3-dev sqlite3 libboost1.81-dev libboost-program-options1.81-dev
  libsodium-dev libeigen3-dev nlohmann-json3-dev libcsv-dev
  # The PostgreSQL engine (libpqxx) and the server its tests run against
  libpqxx-dev postgresql-15
  # PDM: XLSForm writing (libxlsxwriter) and reading back (minizip, libxml2)
  libxlsxwriter-dev libminizip-dev libxml2-dev
  # Tests and benchmarks; clang and its runtime for the libFuzzer targets
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev
  # Web front end: its end-to-end tests drive Debian's Chromium
  chromium
  # SMS gateway: the channel tests run a real bearerbox + smsbox with
  # Kannel's fake SMS centre (fakesmsc, in kannel-extras)
  kannel kannel-extras
)
# Node.js and npm build the web front end (web/); Debian's are used unless the
# machine already has them.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(r-base-core r-cran-lavaan r-cran-psych r-cran-laeken r-cran-survey
             wrk hyperfine)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all packages present"
