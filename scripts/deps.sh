#!/usr/bin/env bash
# Install what cordon needs to build and test, from Debian's packages.
# Idempotent and quiet when everything is present.
set -euo pipefail

PKGS=(
  gcc make pkg-config        # toolchain
  libsqlite3-dev sqlite3     # embedded store (+ CLI used by e2e tests)
  libjansson-dev             # JSON
  libcsv-dev                 # CSV parsing
  libinih-dev                # INI parsing (rule profiles)
  libmicrohttpd-dev          # HTTP server (cordon serve), with GnuTLS
  libsodium-dev              # Argon2id passwords, tokens
  libxlsxwriter-dev          # XLSX daily reports
  curl jq openssl            # end-to-end tests of the HTTP API
  unzip                      # end-to-end test of the XLSX report
  python3-openpyxl           # reads the XLSX reports back in tests (an independent reader)
  libcmocka-dev              # unit tests
  clang libclang-rt-14-dev   # libFuzzer targets
  util-linux                 # setpriv, for the read-only database test
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
