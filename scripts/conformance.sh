#!/usr/bin/env bash
# Runs the shared KQL conformance corpus against `sentinel-content query` in batch mode.
# Skips (exit 0) when the shared corpus is not present (e.g. outside the development machine).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${KQL_CONFORMANCE_DIR:-$here/../shared/conformance}"
if [ ! -f "$corpus/conformance.mjs" ]; then
  echo "conformance: skipped ($corpus/conformance.mjs not found; set KQL_CONFORMANCE_DIR)"
  exit 0
fi
cases="${1:-$corpus/public.jsonl}"
shift || true
# The runner's time limit applies to the whole batch, so it is raised to cover the engine's start-up.
exec node "$corpus/conformance.mjs" --batch --timeout "${KQL_CONFORMANCE_TIMEOUT:-300}" --cwd "$here" \
  --cmd "node bin/sentinel-content.js query --format json" "$@" "$cases"
