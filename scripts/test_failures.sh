#!/usr/bin/env bash
# What each failed stage of scripts/test_all.sh said last, repeated at the end of its output (CI
# keeps only the end): usage `test_failures.sh LOG_DIR STAGE...`, reading LOG_DIR/STAGE.log and
# LOG_DIR/STAGE.status (the stage command's exit status). For the unit stage, deno's list of
# errors; a unit log without deno's summary line means the test process itself died (a signal, or
# glibc's abort on a corrupted heap), which no test's result says: the status names it.
set -uo pipefail
log_dir=$1
shift
for name in "$@"; do
  plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log_dir/$name.log")
  status=$(cat "$log_dir/$name.status" 2>/dev/null || echo unknown)
  if [[ $name == unit ]] && grep -aq '^ ERRORS $' <<<"$plain"; then
    echo "== unit, again: the failed tests and their errors"
    sed -n '/^ ERRORS $/,$p' <<<"$plain" | head -n 120
  elif [[ $name == unit ]] && ! grep -aqE '^(ok|FAILED) \| [0-9]+ passed' <<<"$plain"; then
    how="exit status $status"
    [[ $status =~ ^[0-9]+$ ]] && ((status > 128)) && how+=" (signal $((status - 128)))"
    echo "== unit, again: deno test ended without its summary, $how: the test process crashed;" \
      "its last lines"
    tail -n 40 <<<"$plain"
  else
    echo "== $name, again: its last lines (exit status $status)"
    tail -n 40 <<<"$plain"
  fi
done
