#!/bin/sh
# Runs the load suite against the relay's two UDP paths, alternating (on, off, then off, on, ...) so
# that both see the same machine: prints one table row per run, prefixed with the path.
# Usage (from the repository root, after building core/Relay.Server and load/Relay.Load in Release):
#   load/Relay.Load/compare-batched-io.sh ROUNDS [load suite options...]
#   load/Relay.Load/compare-batched-io.sh 3 --publishers 10 --viewers 10 --bitrate-kbps 1000 --warmup 5 --duration 20
set -u
rounds=$1
shift
dll=load/Relay.Load/bin/Release/net10.0/Relay.Load.dll
i=1
while [ "$i" -le "$rounds" ]; do
  if [ $((i % 2)) -eq 1 ]; then order="true false"; else order="false true"; fi
  for batched in $order; do
    row=$(dotnet "$dll" "$@" --relay-arg "--Relay:Media:BatchedIo=$batched" 2>/dev/null | grep '^| [0-9]' | tail -1)
    echo "| batched=$batched $row"
  done
  i=$((i + 1))
done
