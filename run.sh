#!/usr/bin/env bash
# The workspace's entry point. Every command first runs the idempotent set-up.
#   ./run.sh reproduce [--quick]   reproduce the paper's tables and plots on the embedded data
#   ./run.sh test                  the whole test suite (what CI runs)
#   ./run.sh lab [--port N]        the notebooks in a live notebook server (Deno kernel), Ctrl-C stops
#   ./run.sh notebooks [--quick]   execute every notebook and render self-contained HTML
#   ./run.sh bench                 deno bench
set -euo pipefail
cd "$(dirname "$0")"
command=${1:-}
[[ -n $command ]] || { sed -n '2,8p' "$0"; exit 2; }
shift
bash scripts/setup.sh
export PATH="$PWD/tools/node_modules/.bin:$PATH"
case $command in
  test) exec bash scripts/test_all.sh "$@" ;;
  # Not through `deno task`: Ctrl-C must reach the server's launcher directly.
  lab) exec deno run -A scripts/lab.ts "$@" ;;
  reproduce | notebooks | bench) exec deno task "$command" "$@" ;;
  *) echo "unknown command: $command" >&2; sed -n '2,8p' "$0"; exit 2 ;;
esac
