#!/usr/bin/env bash
# Installs schemathesis (the contract fuzzer of npm run test:fuzz) into .cache/schemathesis-venv
# (git-ignored), every package pinned by test/fuzz/requirements.txt.
#
# Idempotent and fast when cached: the venv is rebuilt only when the requirements change (a SHA-256
# stamp inside it). Prints the path of the schemathesis executable.
# Exit status: 0 ready; 3 a prerequisite is missing (Python >= 3.9 with venv), with the reason on
# stderr; anything else: the install failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.cache/schemathesis-venv"
requirements="$root/test/fuzz/requirements.txt"

missing() {
  echo "ensure-schemathesis: $1" >&2
  exit 3
}
log() { echo "ensure-schemathesis: $*" >&2; }
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

mkdir -p "$root/.cache"
# One install at a time (two runs may start together); flock is util-linux, absent on macOS.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$root/.cache/schemathesis.lock"
  flock 9
fi

want="$(sha256 <"$requirements")"
if [ ! -x "$venv/bin/schemathesis" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  python="${PYTHON:-python3}"
  command -v "$python" >/dev/null 2>&1 ||
    missing "$python is not on PATH: schemathesis is installed from PyPI into a virtualenv"
  "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
    missing "$python is $("$python" --version 2>&1): schemathesis needs Python >= 3.9 (set PYTHON)"
  "$python" -c 'import ensurepip, venv' 2>/dev/null ||
    missing "$python cannot create virtualenvs (Debian: apt-get install python3-venv)"
  log "installing $(grep -i '^schemathesis==' "$requirements") into .cache/schemathesis-venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$requirements"
  "$venv/bin/schemathesis" --version >/dev/null
  echo "$want" >"$venv/.requirements.sha256"
fi

echo "$venv/bin/schemathesis"
