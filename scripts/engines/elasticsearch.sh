#!/usr/bin/env bash
# Fetch or run Elasticsearch for tests and benchmarks (see docs/benchmark.md).
#
#   scripts/engines/elasticsearch.sh fetch [--version V]              print the unpacked home directory
#   scripts/engines/elasticsearch.sh start [--version V] [--heap 1g] [--port N]
#                                                                      run on 127.0.0.1 until Ctrl-C
#
# The process management lives in src/bench/compare/engines/ (built to dist/ by `npm run build`), so
# the benchmark, the tests and this script start Elasticsearch the same way.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cli="$repo/dist/bench/compare/engines/cli.js"
if [[ ! -f "$cli" ]]; then
  echo "Building Cairn first (npm run build) …" >&2
  (cd "$repo" && npm run --silent build >&2)
fi
exec node "$cli" "$@"
