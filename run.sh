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
  # Not through `deno task`: Ctrl-C must reach the server's launcher directly. The permissions are
  # the lab task's (deno.json; tests/backend/task_permissions_test.ts checks they stay the same).
  lab) exec deno run --no-prompt --allow-read=. --allow-write=./.jupyter --allow-net=127.0.0.1 --allow-run=/usr/bin/python3,/usr/bin/ps,/usr/bin/kill --allow-env --allow-sys=uid scripts/lab.ts "$@" ;;
  reproduce | notebooks | bench) exec deno task "$command" "$@" ;;
  *) echo "unknown command: $command" >&2; sed -n '2,8p' "$0"; exit 2 ;;
esac
