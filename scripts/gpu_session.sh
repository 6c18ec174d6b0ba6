#!/usr/bin/env bash
# One GPU machine's measurements in one call, for a lease measured in minutes: the adapter, the
# webgpu tests on it, where a step's time goes (--profile: the device and the JavaScript thread), SASRec on webgpu twice from
# one seed (same numbers?) and on wasm, and Demure-SASRec on both. Each stage runs under its own time limit, so a slow stage leaves the
# next ones their time, and its log is written as it runs (a stage cut off keeps what it printed).
# Prints each stage's last lines; the logs go to LOG_DIR. About 9 minutes at most.
#
#   bash scripts/gpu_session.sh LOG_DIR                   (from the repository)
#   demure-gpu-check/gpu_session.sh LOG_DIR               (from the unpacked archive, docs/gpu.md)
set -uo pipefail
usage="usage: gpu_session.sh LOG_DIR   (one GPU machine's measurements; see docs/gpu.md)"
case ${1:-} in
  -h | --help) echo "$usage"; exit 0 ;;
  "" | -*) echo "gpu_session: $usage" >&2; exit 2 ;;
esac
# One folder, nothing else: a second word (`LOG_DIR --quick`, a folder name with a space) was
# ignored and the whole session ran anyway.
if (($# > 1)); then
  echo "gpu_session: unexpected argument after LOG_DIR: ${*:2} ($usage)" >&2
  exit 2
fi
logs=$1
mkdir -p "$logs" || exit 1
check="$(cd "$(dirname "$0")" && pwd)/gpu_check.sh"
failed=0

# stage NAME SECONDS ARGS...: one run of the check, its log in LOG_DIR/NAME.log.
stage() {
  local name=$1 limit=$2
  shift 2
  echo "=== $name: gpu_check.sh $* (limit ${limit} s, $(date +%T))"
  timeout -k 10 "$limit" "$check" "$@" >"$logs/$name.log" 2>&1
  local code=$?
  echo "exit $code" >>"$logs/$name.log"
  ((code == 0)) || failed=1
  grep -v '^ *at ' "$logs/$name.log" | tail -n 16
}

stage adapter 60 --adapter || true
if ! grep -q '^adapter: ' "$logs/adapter.log" || grep -qi '^adapter: none' "$logs/adapter.log"; then
  echo "gpu_session: no WebGPU adapter; the rest needs one (docs/gpu.md: drivers in containers)"
  exit 1
fi
stage tests 60 --tests
stage profile 150 --profile --backends webgpu
stage sasrec 170 --max-batches 20 --backends webgpu,webgpu,wasm
stage demure 110 --system demure --max-batches 15 --backends webgpu,wasm
exit $failed
