#!/bin/sh
# One 10 x 10 load run (20 s window) with the relay's UDP path BATCHED=true|false; prints the relay's
# UDP receive thread's time on the CPU, time runnable but waiting in the run queue (/proc/.../schedstat)
# and its context switches per second, over 10 s in the middle of the window, then the suite's row.
# NICE=-10 renices that one thread first (root). Extra arguments go to the load suite.
# Usage (from anywhere, after building core/Relay.Server and load/Relay.Load in Release):
#   [NICE=N] load/Relay.Load/receive-thread-schedstat.sh true|false [load suite options...]
cd "$(dirname "$0")/../.."
b=$1; shift
L=load/Relay.Load/bin/Release/net10.0/Relay.Load.dll
dotnet $L --publishers 10 --viewers 10 --bitrate-kbps 1000 --warmup 5 --duration 20 --relay-arg --Relay:Media:BatchedIo=$b "$@" > "${TMPDIR:-/tmp}/relay-sched.$$" 2>/dev/null &
lp=$!
sleep 14
rp=$(pgrep -P $lp -f Relay.Server.dll | head -1)
tid=$(grep -l "^udp receive" /proc/$rp/task/*/comm | head -1 | cut -d/ -f5)
timer=$(grep -l "^media node time" /proc/$rp/task/*/comm | head -1 | cut -d/ -f5)
if [ -n "${NICE:-}" ]; then renice -n $NICE -p $tid > /dev/null; fi
tn=$(sed 's/.*) //' /proc/$rp/task/$tid/stat | cut -d' ' -f17)
s1=$(cat /proc/$rp/task/$tid/schedstat); v1=$(grep -E "^(non)?voluntary" /proc/$rp/task/$tid/status | awk '{print $2}' | tr '\n' ' ')
sleep 10
s2=$(cat /proc/$rp/task/$tid/schedstat); v2=$(grep -E "^(non)?voluntary" /proc/$rp/task/$tid/status | awk '{print $2}' | tr '\n' ' ')
wait $lp
row=$(grep '^| [0-9]' "${TMPDIR:-/tmp}/relay-sched.$$" | tail -1)
echo "$s1 $s2 $v1 $v2" | awk -v n=$tn -v b=$b -v row="$row" '{run=($4-$1)/1e6; wait=($5-$2)/1e6; sl=$6-$3; vol=$9-$7; inv=$10-$8; printf "nice=%s batched=%s recv thread per s: cpu %.0f ms, runqueue wait %.0f ms, %.0f slices, %.0f voluntary, %.0f involuntary switches; wait per slice %.1f us %s\n", n, b, run/10, wait/10, sl/10, vol/10, inv/10, wait*1000/sl, row}' 
rm -f "${TMPDIR:-/tmp}/relay-sched.$$"
