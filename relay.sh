#!/usr/bin/env bash
# Relay's two entry points for a fresh Debian machine:
#   ./relay.sh run    build and run the whole system on this machine with embedded defaults
#   ./relay.sh test   install what the tests need, build, and run every test
#   ./relay.sh verify BUNDLE.zip [--key KEY]   check an evidence bundle offline (exit 0 intact, 1 not, 2 usage)
# Both are idempotent: packages already present are not installed again.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Where the user ran this from: a bundle path given to verify is relative to it, not to the repository.
caller_dir="$PWD"
cd "$here"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages the system needs at run time, and those only the tests need (prometheus: promtool checks /metrics).
# nodejs (with npm): the build restores the player's map library (Leaflet) from npm.
run_packages=(libssl3 openssl ca-certificates nodejs)
# End-to-end tests: Debian Chromium (driven by Playwright), and GStreamer webrtcbin from python3 as a WHIP publisher.
# Evidence store tests: npm installs and runs s3rver (a fake S3 server) from the npm registry.
# Cluster tests: redis-server, one per test class on a free loopback port.
# Export tests: ffmpeg encodes the test clips and ffprobe reads every exported file.
# WebKit (Safari's engine): WebKitGTK's WebDriver server and MiniBrowser, on an Xvfb display.
test_packages=(prometheus redis-server ffmpeg chromium webkit2gtk-driver xvfb gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice gir1.2-nice-0.1 python3-gst-1.0 gir1.2-gst-plugins-bad-1.0)

apt_updated=0
install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ $apt_updated -eq 0 ]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  echo "Installing: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Some nodejs builds (NodeSource's) bring npm with them and conflict with Debian's npm package.
require_npm() {
  command -v npm >/dev/null 2>&1 || install_packages npm
}

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is needed (dotnet on PATH). Install it from Microsoft's Debian packages or dotnet-install, then run this again." >&2
    exit 1
  fi
}

cmd_run() {
  require_dotnet
  install_packages "${run_packages[@]}"
  require_npm
  dotnet build core/Relay.Server -c Release -nologo -v quiet
  echo "Starting Relay; press Ctrl+C to stop."
  exec dotnet run --project core/Relay.Server -c Release --no-build -- "$@"
}

cmd_test() {
  require_dotnet
  install_packages "${run_packages[@]}" ${test_packages[@]+"${test_packages[@]}"}
  require_npm
  dotnet build Relay.sln -c Release -nologo -v quiet
  local log
  log="$(mktemp)"
  set +e
  # The end-to-end tests stream real video through browsers; they run after the others, on their
  # own, so on two cores neither disturbs the other's timing.
  dotnet test Relay.sln -c Release --no-build -nologo --filter "FullyQualifiedName!~Relay.EndToEnd.Tests" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  dotnet test tests/Relay.EndToEnd.Tests -c Release --no-build -nologo 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  set -e
  # One closing line for the whole run, summed over the test projects.
  awk '/(Passed|Failed)! +- +Failed:/ {
         gsub(/,/, " "); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
       }
       END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
  rm -f "$log"
  return "$status"
}

# Builds the server (incrementally; no packages needed: verifying is offline) and runs its verify verb.
cmd_verify() {
  require_dotnet
  if [ $# -eq 0 ]; then
    echo "usage: $0 verify BUNDLE.zip [--key PUBLIC_KEY_BASE64]" >&2
    exit 2
  fi
  local args=() a
  for a in "$@"; do
    # Relative bundle paths are the caller's; options and absolute paths pass through.
    if [[ "$a" != -* && "$a" != /* && -e "$caller_dir/$a" ]]; then args+=("$caller_dir/$a"); else args+=("$a"); fi
  done
  dotnet build core/Relay.Server -c Release -nologo -v quiet -p:RestoreWebLibraries=false >&2
  exec dotnet run --project core/Relay.Server -c Release --no-build -- verify "${args[@]}"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  verify) shift; cmd_verify "$@" ;;
  *) echo "usage: $0 run|test|verify BUNDLE.zip" >&2; exit 2 ;;
esac
