# Shared helpers for scripts/*. Sourced, not executed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED_DATA="${PATHLIGHT_SHARED_DATA:-$ROOT/../shared/data}"
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten imports acorn from here
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
