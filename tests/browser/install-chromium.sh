#!/usr/bin/env bash
# Finds a headless Chromium for the browser tests, or installs Debian's `chromium` when running as root.
# Prints the browser's path. Order: $CHROMIUM_PATH, chromium, chromium-browser; else `apt-get install -y chromium`.
set -euo pipefail
find_browser() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then echo "$CHROMIUM_PATH"; return 0; fi
  for name in chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  done
  return 1
}
if find_browser; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "No Chromium found: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH." >&2
  exit 1
fi
echo "Installing chromium with apt-get (once)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
find_browser
