#!/usr/bin/env bash
# Refresh the translation sources from the code and compile them.
#   1. pyside6-lupdate scans the sources for tr() / QCoreApplication.translate() and merges new
#      strings into the .ts files (existing translations are kept; removed strings dropped):
#      an area package desktop/<area>/ with its own desktop/i18n/<area>_zh_CN.ts is scanned into
#      that file (so areas can be translated independently); everything else into itops_zh_CN.ts;
#   2. fill in the new <translation type="unfinished"> entries (Qt Linguist: pyside6-linguist);
#   3. pyside6-lrelease compiles each .ts to the .qm the app loads (all *_zh_CN.qm). Commit both.
# English needs no file: the source strings are English.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${VENV_BIN:-$root/.venv/bin}"
cd "$root"
own=()
for ts in "$here"/*_zh_CN.ts; do
    area="$(basename "$ts" _zh_CN.ts)"
    [[ "$area" == itops ]] && continue
    own+=("$area")
    mapfile -t sources < <(find "desktop/$area" -name '*.py' -not -path '*/__pycache__/*' | sort)
    "$bin/pyside6-lupdate" -no-obsolete -locations relative "${sources[@]}" -ts "$ts"
done
excluded=()  # an array: a pattern in a plain string would be glob-expanded by the shell
for area in "${own[@]}"; do excluded+=(-not -path "desktop/$area/*"); done
mapfile -t sources < <(find desktop -name '*.py' -not -path '*/__pycache__/*' "${excluded[@]}" | sort)
"$bin/pyside6-lupdate" -no-obsolete -locations relative "${sources[@]}" -ts "$here/itops_zh_CN.ts"
status=0
for ts in "$here"/*_zh_CN.ts; do
    "$bin/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
    if grep -q 'type="unfinished"' "$ts"; then
        echo "update.sh: untranslated strings remain in $(basename "$ts") (search for type=\"unfinished\")" >&2
        status=1
    fi
done
exit $status
