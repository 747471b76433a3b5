#!/bin/sh
# The kernel's floor (Relay.Bench kernel-floor) and the relay (load suite, 10 x 10 at 1000 kbps) in one
# sitting, alternating: each round runs the floor with sendmmsg and sendto, the relay batched and not,
# then the same pinned (forwarder or relay on CPU 0, everything else on CPU 1). Prints one row per run.
# Usage (after building bench/Relay.Bench, core/Relay.Server and load/Relay.Load in Release):
#   load/Relay.Load/compare-kernel-floor.sh ROUNDS SECONDS
cd "$(dirname "$0")/../.."
B=bench/Relay.Bench/bin/Release/net10.0/Relay.Bench.dll
L=load/Relay.Load/bin/Release/net10.0/Relay.Load.dll
S=$2
LA="--publishers 10 --viewers 10 --bitrate-kbps 1000 --warmup 5 --duration $S"
r=1
while [ $r -le $1 ]; do
  echo "## round $r $(date +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ $((r % 2)) -eq 1 ]; then o1=sendmmsg; o2=sendto; b1=true; b2=false; else o1=sendto; o2=sendmmsg; b1=false; b2=true; fi
  for m in $o1 $o2; do echo "floor $(dotnet $B kernel-floor --mode $m --seconds $S --warmup 3)"; done
  for b in $b1 $b2; do echo "relay batched=$b $(dotnet $L $LA --relay-arg --Relay:Media:BatchedIo=$b 2>/dev/null | grep '^| [0-9]' | tail -1)"; done
  echo "floor pinned $(dotnet $B kernel-floor --mode sendmmsg --seconds $S --warmup 3 --forwarder-cpu 0 --others-cpu 1)"
  echo "relay pinned batched=true $(taskset -c 1 dotnet $L $LA --relay-cpu 0 2>/dev/null | grep '^| [0-9]' | tail -1)"
  echo "floor pinned $(dotnet $B kernel-floor --mode sendto --seconds $S --warmup 3 --forwarder-cpu 0 --others-cpu 1)"
  echo "relay pinned batched=false $(taskset -c 1 dotnet $L $LA --relay-cpu 0 --relay-arg --Relay:Media:BatchedIo=false 2>/dev/null | grep '^| [0-9]' | tail -1)"
  r=$((r + 1))
done
echo "## end $(date +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
