#!/usr/bin/env bash
# Install the given Debian packages, but only those not installed yet.
#   scripts/ensure-system-packages.sh postgresql redis-server ...
set -euo pipefail

missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing system packages: ${missing[*]}"
as_root=(env DEBIAN_FRONTEND=noninteractive)   # via env so the setting survives sudo
if [[ $EUID -ne 0 ]]; then as_root=(sudo "${as_root[@]}"); fi
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
