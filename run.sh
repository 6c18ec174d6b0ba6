#!/usr/bin/env bash
# The workspace's entry point. Every command first runs the idempotent set-up (not for --help).
#   ./run.sh reproduce [--quick]   reproduce the paper's tables and plots on the embedded data
#   ./run.sh test                  the whole test suite (what CI runs)
#   ./run.sh lab [--port N]        the notebooks in a live notebook server (Deno kernel), Ctrl-C stops
#   ./run.sh notebooks [--quick]   execute every notebook and render self-contained HTML
#   ./run.sh bench                 deno bench
#   ./run.sh reproduce --help      every option of the main job
set -euo pipefail
cd "$(dirname "$0")"
# The usage is the comment block above (lines 2-8); help answers before the set-up runs.
usage() { sed -n '2,8p' "$0"; }
command=${1:-}
case $command in
  "") usage; exit 2 ;;
  -h | --help | help) usage; exit 0 ;;
  test | lab | reproduce | notebooks | bench) ;;
  *) echo "run.sh: unknown command: $command" >&2; usage >&2; exit 2 ;;
esac
shift
# The suite takes no arguments: given one, it only prints its usage (--help) or refuses it, which
# needs no set-up (that may install packages). $BASH: this shell, whatever PATH holds.
if [[ $command == test && $# -gt 0 ]]; then exec "$BASH" scripts/test_all.sh "$@"; fi
# The other commands answer -h/--help (before any `--`) themselves, without the set-up, once the
# Deno and the libraries it installs are there; on a fresh machine the set-up comes first.
asks_help=false
for argument in "$@"; do
  case $argument in
    --) break ;;
    -h | --help) asks_help=true; break ;;
  esac
done
if ! { $asks_help && [[ -x tools/node_modules/.bin/deno && -d node_modules ]]; }; then
  bash scripts/setup.sh
fi
export PATH="$PWD/tools/node_modules/.bin:$PATH"
case $command in
  test) exec bash scripts/test_all.sh "$@" ;;
  # Not through `deno task`: Ctrl-C must reach the server's launcher directly. The permissions are
  # the lab task's (deno.json; tests/backend/task_permissions_test.ts checks they stay the same).
  lab) exec deno run --no-prompt --allow-read=. --allow-write=./.jupyter --allow-net=127.0.0.1 --allow-run=/usr/bin/python3,/usr/bin/ps,/usr/bin/kill --allow-env --allow-sys=uid scripts/lab.ts "$@" ;;
  reproduce | notebooks | bench)
    # Help is the command's usage alone, not after the task's whole command line.
    if $asks_help; then exec deno task --quiet "$command" "$@"; fi
    exec deno task "$command" "$@"
    ;;
esac
