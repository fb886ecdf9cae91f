#!/usr/bin/env bash
# Install what the dashboard and its browser tests need: Debian's chromium
# (headless, for tests/browser), CJK fonts (screenshots), node and npm, then
# the npm packages pinned by web/package-lock.json (Apache ECharts, served
# from web/node_modules) and tests/browser/package-lock.json (puppeteer-core,
# driving the system chromium). Nothing from npm is committed. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null || need+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" ||
  need+=(fonts-noto-cjk)
command -v npm >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "web-deps: installing ${need[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "web-deps: run as root, or: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# npm ci when node_modules is missing or older than the lock file.
for dir in web tests/browser; do
  stamp=$dir/node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    echo "web-deps: npm ci in $dir" >&2
    (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
done
