#!/bin/bash
# What recording every stream costs the relay, measured end to end with the load suite (issue 5).
#
# Starts a Release relay by hand for each run (so Relay:Recording:Enabled and the JIT mode can be set),
# points the load suite at it (10 publishers x 10 viewers at 1000 kbps), appends the suite's result
# line to RESULTS, then stops the relay with SIGTERM. Give the modes alternating (on off off on ...) so
# a drifting machine load falls on both alike; compare ratios taken within one sitting.
#
# Usage: bench/recording-overhead.sh RESULTS TC WARMUP DURATION MODE...
#   RESULTS   file the result lines are appended to (markdown)
#   TC        DOTNET_TieredCompilation (0: every method compiled fully once, so the once-per-segment
#             paths' start-up JIT work is not charged to recording; see bench/RESULTS.md)
#   WARMUP, DURATION   the load suite's warm-up and measured window, seconds
#   MODE      on | off | on:<tag> | off:<tag>; <tag> names a variant whose extra relay arguments are in
#             the environment variable ARGS_<tag> (e.g. ARGS_copy="--Relay:Evidence:Store:filesystem:LinkFiles=false")
# Environment:
#   RELAY_DIR  the checkout whose Release builds are run (default: this script's repository); needs
#              `dotnet build core/Relay.Server -c Release` and `dotnet build load/Relay.Load -c Release`
#   DATA_ROOT  where each run's data directory is made (default /tmp; recordings, spool and store all in it)
#   THREADS=1  also append the relay's CPU per thread over the measured window (from /proc/PID/task/*/stat),
#              summed by thread name, to RESULTS
#   PERF=1     also sample the relay with perf over the measured window (DOTNET_PerfMapEnabled=1 so JIT
#              code has names, W^X off so perf sees it, ReadyToRun off so framework code is jitted and named too); the profile is kept as RESULTS.<n>-<mode>.perf.data (perf report -i ...).
#              perf costs CPU itself: do not read the µs/packet of such runs as figures
set -u
if [ $# -lt 5 ]; then sed -n '2,25p' "$0"; exit 2; fi
script_dir=$(cd "$(dirname "$0")" && pwd)
cd "${RELAY_DIR:-$script_dir/..}" || exit 1
results=$(realpath -m "$1"); tc=$2; warm=$3; dur=$4; shift 4
dll=core/Relay.Server/bin/Release/net10.0/Relay.Server.dll
load=load/Relay.Load/bin/Release/net10.0/Relay.Load.dll
for f in $dll $load; do [ -f $f ] || { echo "missing $f: build it with -c Release" >&2; exit 1; }; done
key=load-suite-key-0123456789abcdef0123
hz=$(getconf CLK_TCK)

# "tid name utime+stime" for every thread of $1 (the name may hold spaces, inside parentheses).
threads() {
  for s in /proc/$1/task/*/stat; do
    sed -E 's/^([0-9]+) \((.*)\) [A-Za-z] (([^ ]+ ){10})([0-9]+) ([0-9]+).*/\1|\2|\5 \6/' "$s" 2>/dev/null
  done | awk -F'|' '{ split($3, t, " "); print $1 "|" $2 "|" t[1] + t[2] }'
}

for run in "$@"; do
  mode=${run%%:*}; tag=${run#*:}; [ "$tag" = "$run" ] && tag=""
  extra=""; [ -n "$tag" ] && { v="ARGS_$tag"; extra=${!v:-}; }
  http=$((20000 + RANDOM % 20000)); media=$((40000 + RANDOM % 20000))
  data=$(mktemp -d "${DATA_ROOT:-/tmp}/relay-rec-overhead-XXXX")
  enabled=$([ "$mode" = on ] && echo true || echo false)
  # shellcheck disable=SC2086
  DOTNET_PerfMapEnabled=${PERF:-0} DOTNET_EnableWriteXorExecute=$((1 - ${PERF:-0})) DOTNET_ReadyToRun=$((1 - ${PERF:-0})) DOTNET_TieredCompilation=$tc DOTNET_gcServer=0 dotnet $dll --urls http://127.0.0.1:$http \
    --Relay:Media:Port=$media --Relay:Media:BindAddress=127.0.0.1 --Relay:DataDirectory=$data \
    --Relay:ApiKeys:0:Name=load-suite --Relay:ApiKeys:0:Key=$key --Relay:ApiKeys:0:Role=officer \
    --Relay:Sms:Limits:PerNumber:Count=100000 --Relay:Sms:Limits:PerOfficer:Count=100000 \
    --Relay:Recording:Enabled=$enabled --Logging:LogLevel:Default=Warning $extra > $data.log 2>&1 &
  pid=$!
  for _ in $(seq 1 900); do curl -sf http://127.0.0.1:$http/healthz >/dev/null && break; sleep 0.2; done
  echo "== $(date +%T) recording $run (TC=$tc) relay pid $pid, load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
  if [ "${THREADS:-0}" = 1 ]; then
    # The suite sets up 110 peers (a few seconds), warms up, then measures: sample inside that window.
    ( sleep $((warm + 5)); threads $pid > $data.t0; sleep $((dur - 5)); threads $pid > $data.t1 ) &
    sampler=$!
  fi
  if [ "${PERF:-0}" = 1 ]; then
    n=$((${n:-0} + 1))
    ( sleep $((warm + 5)); perf record -q -g -F 1999 -p $pid -o "$results.$n-${run//:/-}.perf.data" -- sleep $((dur - 5)) >/dev/null 2>&1 ) &
    profiler=$!
  fi
  dotnet $load --relay http://127.0.0.1:$http --relay-pid $pid --api-key $key \
    --publishers 10 --viewers 10 --bitrate-kbps 1000 --warmup $warm --duration $dur --results "$results" 2>&1 | tail -3
  if [ "${THREADS:-0}" = 1 ]; then
    wait $sampler
    echo "relay CPU ms by thread over $((dur - 5)) s:" >> "$results"
    awk -F'|' -v hz=$hz 'NR == FNR { t0[$1] = $3; next } { d = $3 - t0[$1]; name = $2; gsub(/[0-9]+$/, "#", name); sum[name] += d * 1000 / hz }
      END { for (n in sum) if (sum[n] > 0) printf "  %8.0f  %s\n", sum[n], n }' $data.t0 $data.t1 | sort -rn >> "$results"
  fi
  [ "${PERF:-0}" = 1 ] && wait $profiler
  kill -TERM $pid; wait $pid
  echo "exit $?, segments: $(find $data -name '*.rseg' | wc -l), bytes on disk: $(du -sb $data | cut -f1), evidence objects: $(find $data/evidence -type f ! -name '.*' 2>/dev/null | wc -l), load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
  rm -rf "$data" "$data.log" "$data.t0" "$data.t1"
done
