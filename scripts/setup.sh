#!/usr/bin/env bash
# Set-up on a fresh machine (Debian/Ubuntu): the system packages the runtime uses, the npm dependencies,
# and with --vscode-host the real VS Code host the extension's tests run in (outside the repository, cached).
# Idempotent: what is already there is left alone.
#   bash scripts/setup.sh                 runtime and build (redis-server, inotify-tools, file, bzip2, influxdb for a test; npm ci)
#   bash scripts/setup.sh --vscode-host   the same, plus code-server + chromium for the extension tests
set -euo pipefail
cd "$(dirname "$0")/.."

with_host=0
for arg in "$@"; do
  case "$arg" in
    --vscode-host) with_host=1 ;;
    *) echo "setup: unknown option $arg (known: --vscode-host)" >&2; exit 2 ;;
  esac
done

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: please install ${missing[*]} with your system's package manager (macOS: brew install redis)" >&2
    return 1
  fi
  echo "setup: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }
}

# redis-server: the runtime starts its own (unix socket in the runtime home, never port 6379).
command -v redis-server >/dev/null 2>&1 || apt_install redis-server
# inotifywait: the directory observer's watcher (it falls back to fs.watch + rescans without it).
command -v inotifywait >/dev/null 2>&1 || apt_install inotify-tools
# file(1): guess_file_type's libmagic descriptions.
command -v file >/dev/null 2>&1 || apt_install file
# bzip2(1): builtin:unbzip2 runs `bzip2 -d -c` (Node has no bzip2 codec).
command -v bzip2 >/dev/null 2>&1 || apt_install bzip2
# influxd (InfluxDB 1.x): only the metrics test uses it, starting its own on free 127.0.0.1 ports in a temp dir. The
# package may enable or start a system service; nothing here relies on it (and no system service runs in CI containers).
command -v influxd >/dev/null 2>&1 || apt_install influxdb

if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "setup: node_modules up to date"
else
  npm ci --no-audit --no-fund
fi

if [ "$with_host" -eq 1 ]; then
  # code-server on Node 24 (both from the npm registry) and Debian's chromium; ~3 minutes the first time.
  # MFDATA_VSCODE_HOST_DIR overrides ~/.cache/mfdata-vscode-host.
  bash scripts/vscode-host/install.sh
fi
