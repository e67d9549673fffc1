#!/usr/bin/env bash
# Refresh the translation sources from the code and compile them.
#   1. pyside6-lupdate scans desktop/**/*.py for tr() / QCoreApplication.translate() and merges
#      new strings into itops_zh_CN.ts (existing translations are kept; removed strings dropped);
#   2. fill in the new <translation type="unfinished"> entries (Qt Linguist: pyside6-linguist);
#   3. pyside6-lrelease compiles itops_zh_CN.qm, which the app loads. Commit both files.
# English needs no file: the source strings are English.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${VENV_BIN:-$root/.venv/bin}"
cd "$root"
mapfile -t sources < <(find desktop -name '*.py' -not -path '*/__pycache__/*' | sort)
"$bin/pyside6-lupdate" -no-obsolete -locations relative "${sources[@]}" -ts "$here/itops_zh_CN.ts"
"$bin/pyside6-lrelease" "$here/itops_zh_CN.ts" -qm "$here/itops_zh_CN.qm"
if grep -q 'type="unfinished"' "$here/itops_zh_CN.ts"; then
    echo "update.sh: untranslated strings remain in itops_zh_CN.ts (search for type=\"unfinished\")" >&2
    exit 1
fi
