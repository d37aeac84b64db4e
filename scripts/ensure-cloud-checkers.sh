#!/usr/bin/env bash
# Installs the checkers that `npm run infra:check` runs over the synthesized CloudFormation
# template, into a project-local virtualenv (git-ignored):
#
#   .cache/cloud-checkers-venv/bin/cfn-lint   AWS's CloudFormation linter (PyPI)
#   .cache/cloud-checkers-venv/bin/checkov    Checkov's policy checks (PyPI)
#
# Versions: infra/cloud-checkers-requirements.txt pins both and every package they pull in.
# Idempotent and fast when cached: the venv is rebuilt only when that file changes (a SHA-256 stamp
# in the venv). Prints the venv's bin directory. Python 3.9 or newer with venv (PYTHON overrides
# python3).
# Exit status: 0 ready; 3 a prerequisite is missing, with the reason on stderr; anything else: the
# install failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.cache/cloud-checkers-venv"
requirements="$root/infra/cloud-checkers-requirements.txt"

missing() {
  echo "ensure-cloud-checkers: $1" >&2
  exit 3
}
log() { echo "ensure-cloud-checkers: $*" >&2; }
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

mkdir -p "$root/.cache"
# One install at a time (two checks may start together); flock is util-linux, absent on macOS.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$root/.cache/cloud-checkers.lock"
  flock 9
fi

want="$(sha256 <"$requirements")"
if [ ! -x "$venv/bin/checkov" ] || [ ! -x "$venv/bin/cfn-lint" ] ||
  [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  python="${PYTHON:-python3}"
  command -v "$python" >/dev/null 2>&1 ||
    missing "$python is not on PATH: cfn-lint and checkov are installed from PyPI into a virtualenv"
  "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
    missing "$python is older than 3.9 (checkov needs 3.9 or newer; set PYTHON=python3.11)"
  "$python" -c 'import ensurepip, venv' 2>/dev/null ||
    missing "$python cannot create virtualenvs (Debian: apt-get install python3-venv)"
  log "installing cfn-lint and checkov into .cache/cloud-checkers-venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    -r "$requirements"
  "$venv/bin/cfn-lint" --version >/dev/null
  "$venv/bin/checkov" --version >/dev/null
  echo "$want" >"$venv/.requirements.sha256"
fi

echo "$venv/bin"
