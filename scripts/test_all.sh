#!/usr/bin/env bash
# The whole test suite: formatting, lint, type check, unit tests, the quick reproduction (locally,
# then on a local Slurm when root), notebook execution, the rendered-HTML check in headless
# Chromium, and the live notebook server driven in Chromium (scripts/check_lab.ts).
# Ends with one line "tests: N passed, N failed" (unit tests plus one per stage).
set -uo pipefail
# The suite takes no arguments. It ignored them, so `./run.sh test --help` or a would-be filter
# (`./run.sh test tests/data/`) started every stage, the quick reproduction and Slurm included.
# The usage is the comment block above (lines 2-5); it answers before anything runs.
if (($# > 0)); then
  case $1 in
    -h | --help) sed -n '2,5p' "$0"; exit 0 ;;
    *)
      echo "test_all: unexpected argument: $1 (the suite takes none; one test file:" \
        "DEMURE_BLAS_THREADS=1 deno test -A tests/<area>/<file>_test.ts)" >&2
      exit 2
      ;;
  esac
fi
cd "$(dirname "$0")/.."
log_dir=$(mktemp -d)
passed=0
failed=0
failures=()

stage() {
  local name=$1
  shift
  echo "== $name: $*"
  local start=$SECONDS
  "$@" 2>&1 | tee "$log_dir/$name.log"
  local status=${PIPESTATUS[0]}
  echo "$status" >"$log_dir/$name.status"
  if ((status == 0)); then
    passed=$((passed + 1))
    echo "== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "== $name: FAILED ($((SECONDS - start)) s, exit status $status)"
  fi
}

stage fmt deno fmt --check
stage lint deno lint
stage check deno task --quiet typecheck
# The public API (mod.ts) is documented: every exported symbol and member, no private types.
stage doc-lint deno doc --quiet --lint mod.ts
# The notebooks' code cells, each notebook as one module, against the library's types (~15 s).
stage notebook-types deno task --quiet check-notebooks
# One OpenBLAS thread, and no OpenBLAS thread pool: `deno test --parallel` runs test modules as
# threads of one process, so every module's matrix products share one OpenBLAS and its pool. Two CI
# runs (2026-12-02) ended with a glibc abort at exit ("double free or corruption", "corrupted size
# vs. prev_size") after every test had passed; 15 runs of this stage in a loop did not reproduce
# it, and sgemm's operands are now checked to lie inside their arrays (_openblas.ts). One thread per
# caller is also the records' setting (and this stage is faster with it: 1m49s against about 2m).
# LIBC_FATAL_STDERR_: glibc writes its abort messages ("corrupted size vs. prev_size", "double
# free") to the terminal when the process has one, so they missed the log CI keeps (2026-12-05).
# -u: the notebooks' on/off settings (KERNEL_FLAGS) a researcher may have exported for a notebook
# session; the suite checks their defaults (tests/_flag_off.ts refuses a module run with one on).
stage unit env -u DEMURE_QUICK -u DEMURE_RERUN DEMURE_BLAS_THREADS=1 OPENBLAS_NUM_THREADS=1 LIBC_FATAL_STDERR_=1 \
  deno task --quiet unit
# One BLAS thread, like the Slurm stage's one-CPU tasks that must reproduce these cells bit for bit
# (OpenBLAS's results can differ in the last bits between thread counts).
stage reproduce-quick env DEMURE_BLAS_THREADS=1 deno task --quiet reproduce --quick
# The quick grid again, as job arrays (one per selection stage) on a real one-node Slurm, against
# the stage above's report.
stage slurm bash scripts/slurm/test_local_cluster.sh results/quick
stage notebooks deno task --quiet notebooks --quick
stage rendered-html deno task --quiet check-html
stage lab-browser deno task --quiet check-lab

# Count unit tests individually (deno prints "ok | N passed | M failed" or "FAILED | ...").
summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log_dir/unit.log" | grep -aE '^(ok|FAILED) \| [0-9]+ passed' | tail -1)
if [[ -n $summary ]]; then
  unit_passed=$(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$summary")
  unit_failed=$(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<<"$summary")
  passed=$((passed + unit_passed))
  failed=$((failed + unit_failed))
fi
# CI keeps only the end of this output: repeat what each failed stage said last, where it can be
# read (the later stages push it out of view).
bash scripts/test_failures.sh "$log_dir" "${failures[@]}"
((${#failures[@]})) && echo "failed stages: ${failures[*]}"
echo "tests: $passed passed, $failed failed"
((failed == 0))
