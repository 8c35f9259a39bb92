#!/usr/bin/env bash
# Debian packages the Python dependencies build against (mysqlclient needs libmariadb-dev and
# pkg-config). Installed only when missing, so a prepared machine pays nothing.
set -euo pipefail
missing=()
for pkg in libmariadb-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
