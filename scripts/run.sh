#!/usr/bin/env bash
# `make run`: create demo data once, start a province sync server in the background, then the
# desktop app on the county store. Stops the server (and any Xvfb we started) when it exits.
# With no X or Wayland display it starts a virtual one (Xvfb) so it also works headless.
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO_DIR="${DEMO_DIR:-$HOME/.local/share/itops-demo}"
HOST=127.0.0.1
PORT="${ITOPS_DEMO_PORT:-8750}"
ITOPS="${ITOPS:-.venv/bin/itops}"

if [[ ! -x "$ITOPS" ]]; then
    echo "run: $ITOPS not found; run 'make setup' first" >&2
    exit 1
fi

pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ! -e "$DEMO_DIR" ]]; then
    echo "run: creating demo data in $DEMO_DIR"
    mkdir -p "$(dirname "$DEMO_DIR")"
    "$ITOPS" demo --dir "$DEMO_DIR"
fi

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    if ! command -v Xvfb >/dev/null 2>&1; then
        echo "run: no display and no Xvfb; install xvfb (make setup does) or set DISPLAY" >&2
        exit 1
    fi
    n=99
    while [[ -e "/tmp/.X${n}-lock" || -e "/tmp/.X11-unix/X${n}" ]]; do
        n=$((n + 1))
    done
    Xvfb ":$n" -screen 0 1600x900x24 -nolisten tcp >/dev/null 2>&1 &
    pids+=($!)
    export DISPLAY=":$n"
    for _ in $(seq 50); do
        [[ -e "/tmp/.X11-unix/X${n}" ]] && break
        sleep 0.1
    done
    echo "run: no display found, started a virtual one: Xvfb $DISPLAY (pid ${pids[-1]})."
    echo "run: the window is not visible on any screen; set DISPLAY to a real display to see it."
    # Offscreen would hide the window from Xvfb as well.
    if [[ "${QT_QPA_PLATFORM:-}" == offscreen ]]; then
        export QT_QPA_PLATFORM=xcb
    fi
fi

echo "run: starting province sync server on http://$HOST:$PORT"
"$ITOPS" server --db "sqlite:///$DEMO_DIR/province-gd.db" --role province \
    --host "$HOST" --port "$PORT" &
pids+=($!)
server_pid=$!

# Give the server a moment to listen; the desktop works offline anyway, so don't insist.
for _ in $(seq 50); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "run: the sync server exited early; continuing offline" >&2
        break
    fi
    if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
        break
    fi
    sleep 0.2
done

echo "run: starting the desktop app on $DEMO_DIR/county-lh"
"$ITOPS" desktop --store "$DEMO_DIR/county-lh"
