#!/usr/bin/env bash
# Test stage: the quick grid on a real Slurm. Starts munged, slurmctld and slurmd on this machine
# (a generated one-node configuration, every file under a temporary folder), submits the quick grid
# with `deno task slurm` (one job array per selection stage, each after the one before, 2 tasks at
# a time, and the report job), waits for all of them, and asserts that no task waited for a
# selection and that every cell and the report equal those of a local `reproduce --quick`
# (REFERENCE, default results/quick, written by the earlier reproduce-quick stage): bit-identical
# metrics, timings aside. Re-submitting afterwards must find nothing to submit. Every daemon it started is
# stopped by PID whatever the outcome.
# Skips (exit 0, with the reason) when not root or when slurm-wlm / munge are not installed.
#
#   bash scripts/slurm/test_local_cluster.sh [REFERENCE]
set -uo pipefail
cd "$(dirname "$0")/../.."
reference=${1:-results/quick}

if [[ $(id -u) != 0 ]]; then
  echo "slurm: skipped: the local cluster's daemons must run as root (this is uid $(id -u))"
  exit 0
fi
for tool in munged slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
  if ! command -v "$tool" >/dev/null && [[ ! -x /usr/sbin/$tool ]]; then
    echo "slurm: skipped: $tool is not installed (scripts/setup.sh installs slurm-wlm and munge as root)"
    exit 0
  fi
done
if [[ ! -f $reference/summary.json ]]; then
  echo "slurm: no reference report $reference/summary.json: run 'deno task reproduce --quick' first" >&2
  exit 1
fi
export PATH="$PWD/tools/node_modules/.bin:$PATH:/usr/sbin"

tmp=$(mktemp -d /tmp/demure-slurm.XXXXXX)
chmod 755 "$tmp"
daemons=()
jobs_submitted=()
cleanup() {
  local status=$?
  if ((${#jobs_submitted[@]})); then scancel "${jobs_submitted[@]}" 2>/dev/null; fi
  # Daemons in reverse order of start: slurmd (and the job steps it runs), slurmctld, munged.
  for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do
    local pid=${daemons[i]}
    for child in $(pgrep -P "$pid"); do kill "$child" 2>/dev/null; done
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if ((status != 0)); then
    echo "slurm: FAILED; daemon logs:"
    tail -n 20 "$tmp"/log/*.log 2>/dev/null
    tail -n 30 "$tmp"/results/quick/slurm/logs/*.log 2>/dev/null | tail -n 80
    if [[ -d $tmp/results/quick ]]; then
      local kept
      kept=$(mktemp -d /tmp/demure-slurm-results.XXXXXX)
      mv "$tmp/results/quick" "$kept/" && echo "slurm: the cluster's results are kept in $kept/quick"
    fi
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp"/{munge,state,spool,log,results}
chmod 700 "$tmp/munge"
head -c 1024 /dev/urandom >"$tmp/munge/munge.key"
chmod 400 "$tmp/munge/munge.key"
munged --foreground --force --socket="$tmp/munge/socket" --key-file="$tmp/munge/munge.key" \
  --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/seed" \
  --log-file="$tmp/log/munged.log" >"$tmp/log/munged.out" 2>&1 &
daemons+=($!)

host=$(hostname -s)
cpus=$(nproc)
memory=$(($(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 512))
port=$((20000 + RANDOM % 20000))
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=demure-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/socket
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

for _ in $(seq 50); do [[ -S $tmp/munge/socket ]] && break; sleep 0.1; done
slurmctld -D -i >"$tmp/log/slurmctld.out" 2>&1 &
daemons+=($!)
slurmd -D >"$tmp/log/slurmd.out" 2>&1 &
daemons+=($!)
for _ in $(seq 60); do
  [[ $(sinfo -h -o %T 2>/dev/null) == idle ]] && break
  sleep 0.5
done
if [[ $(sinfo -h -o %T 2>/dev/null) != idle ]]; then
  echo "slurm: the node did not come up: $(sinfo 2>&1)" >&2
  exit 1
fi
echo "slurm: one-node cluster up on $host ($cpus CPUs, $memory MB; ports $port-$((port + 1)))"

results=$tmp/results/quick
submit_log=$tmp/log/submit.out
if ! deno task --quiet slurm --quick --results "$results" --concurrency 2 --cpus 1 \
  | tee "$submit_log"; then
  echo "slurm: submission failed" >&2
  exit 1
fi
# One array per selection stage, then the report: "watch: squeue -j <arrays>,<report>".
all_jobs=$(sed -nE 's/^watch: squeue -j ([0-9,]+)$/\1/p' "$submit_log")
report_job=${all_jobs##*,}
if [[ -z $all_jobs || $all_jobs != *,* ]]; then
  echo "slurm: could not read the job ids from the submission" >&2
  exit 1
fi
IFS=, read -ra jobs_submitted <<<"$all_jobs"
echo "slurm: ${#jobs_submitted[@]} jobs submitted: $all_jobs (the last is the report)"

# Wait until squeue lists none of the jobs (finished ones are not listed). A failed squeue is no
# answer, not an empty queue: slurmctld can time out under load, and reading that as "all done"
# would check the report before it ran. A minute of failures in a row is an error.
started=$SECONDS
squeue_failures=0
while true; do
  if queued=$(squeue -h -j "$all_jobs" 2>"$tmp/log/squeue.err"); then
    squeue_failures=0
    [[ -z $queued ]] && break
  elif ((++squeue_failures >= 12)); then
    echo "slurm: squeue failed 12 times in a row, the last: $(cat "$tmp/log/squeue.err")" >&2
    exit 1
  fi
  if ((SECONDS - started > 1500)); then
    echo "slurm: the jobs did not finish in 25 minutes" >&2
    exit 1
  fi
  sleep 5
done
echo "slurm: arrays and report finished in $((SECONDS - started)) s"
jobs_submitted=()
state=$(scontrol show job "$report_job" | sed -nE 's/.*JobState=([A-Z_]+).*/\1/p')
cat "$results/slurm/logs/report-$report_job.log"
if [[ $state != COMPLETED ]]; then
  echo "slurm: the report job ended $state" >&2
  exit 1
fi
# The stages' point: a cell's trials ran in an earlier array, so no task sat waiting for them.
if waited=$(grep -l "waiting for the selection" "$results"/slurm/logs/cell-*.log); then
  echo "slurm: tasks waited for a selection inside their allocation: $waited" >&2
  exit 1
fi
deno run --no-prompt --allow-read=.,"$reference","$results" scripts/slurm/compare_results.ts \
  "$reference" "$results" || exit 1
deno task --quiet slurm --quick --results "$results" | tee "$submit_log"
if ! grep -q '^nothing to submit' "$submit_log"; then
  echo "slurm: re-submitting a finished grid submitted cells again" >&2
  exit 1
fi
echo "slurm: ok"
