#!/usr/bin/env bash
# Install the Debian packages ITOps needs for its tests, the desktop under Xvfb, PDF checks,
# PostgreSQL-backed tests and Chinese text rendering. Only missing packages are installed, and
# `apt-get update` runs only when something has to be installed.
#
# Non-interactive; meant for root on Debian 12 (CI runs as root). As a non-root user it uses
# `sudo -n` when that works, and otherwise only warns. On a system without dpkg/apt it warns and
# exits 0. Set ITOPS_SKIP_SYSTEM_DEPS=1 to skip the check entirely.
set -euo pipefail

PACKAGES=(
    xvfb xauth
    libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0
    libxcb-render-util0 libxcb-image0 libxcb-xinerama0
    libegl1 libgl1 libfontconfig1 libdbus-1-3
    poppler-utils
    postgresql
    fonts-wqy-microhei
    slapd ldap-utils prometheus-alertmanager
)

if [[ "${ITOPS_SKIP_SYSTEM_DEPS:-}" == 1 ]]; then
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-system-deps: no dpkg/apt-get here; install the equivalents of these yourself:" >&2
    echo "  ${PACKAGES[*]}" >&2
    exit 0
fi

is_installed() {
    # `dpkg -s` also succeeds for removed packages that left config files behind: check the status.
    local status
    status="$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" || return 1
    [[ "$status" == installed ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "ensure-system-deps: missing Debian packages (not root, no passwordless sudo):" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 0
fi

echo "ensure-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" </dev/null
