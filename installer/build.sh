#!/usr/bin/env bash
# Build what this machine can build (Linux): the one-folder app dist/itops/ (itops + itops-desktop) and the
# tarball dist/itops-<version>-linux-<arch>.tar.gz with the service files and the deployment guide.
# The Windows app must be built ON Windows (`pyinstaller installer\itops.spec`); its installer can then be
# made here with NSIS: ITOPS_WIN_BUILD=path/to/windows/dist/itops bash installer/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
"$PY" -c "import PyInstaller" 2>/dev/null || "$PY" -m pip install -q -e '.[dist]'
version=$("$PY" -c "from shared.version import APP_VERSION; print(APP_VERSION)")
arch=$(uname -m)
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller installer/itops.spec
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
name="itops-$version-linux-$arch"
mkdir -p "$stage/$name"
cp -a dist/itops "$stage/$name/itops"
cp installer/linux/itops-server.service installer/linux/itops-server.env "$stage/$name/"
cp docs/deploy.md "$stage/$name/DEPLOY.md"
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
echo "built dist/itops/ and dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1))"
if [[ -n "${ITOPS_WIN_BUILD:-}" ]]; then
    command -v makensis >/dev/null || { echo "makensis not found (Debian: apt-get install nsis)" >&2; exit 1; }
    makensis -DSRC="$ITOPS_WIN_BUILD" -DVERSION="$version" -DOUT="$PWD/dist/itops-desktop-$version-setup.exe" \
        installer/windows/itops-desktop.nsi
fi
