#!/usr/bin/env bash
# Installs the project's Node.js (24 LTS) into .cache/node/ from the npm registry (the
# node-linux-<arch> package carries the official binaries) unless `node` on PATH is already 24.
# Prints the directory to put first on PATH:   export PATH="$(bash scripts/ensure-node.sh):$PATH"
set -euo pipefail
NODE_VERSION="${CODECRAFT_NODE_VERSION:-24.22.3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" = "24" ]; then
  dirname "$(command -v node)"
  exit 0
fi
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "ensure-node: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac
dir="$root/.cache/node/v$NODE_VERSION-linux-$arch"
if [ ! -x "$dir/bin/node" ]; then
  echo "ensure-node: installing Node.js $NODE_VERSION into ${dir#"$root"/} (one time)" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$NODE_VERSION" >/dev/null)
  mkdir -p "$dir"
  tar -xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$dir" --strip-components=1
  "$dir/bin/node" --version >/dev/null
fi
echo "$dir/bin"
