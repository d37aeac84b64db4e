#!/usr/bin/env bash
# Secret scanning: gitleaks (pinned, built from the Go module proxy into .cache/bin) over the whole
# git history and the working tree, with the default rules (.gitleaks.toml skips dependencies and
# caches). Exit 1 on any finding; findings are printed redacted.
#   bash scripts/scan-secrets.sh            install if needed, then scan
#   bash scripts/scan-secrets.sh --install  install only (prints the binary's path)
set -euo pipefail
GITLEAKS_VERSION=v8.30.0
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.cache/bin/gitleaks"
stamp="$root/.cache/bin/gitleaks.version"
if [ ! -x "$bin" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$GITLEAKS_VERSION" ]; then
  command -v go >/dev/null 2>&1 || { echo "scan-secrets: Go is needed to build gitleaks" >&2; exit 3; }
  echo "scan-secrets: building gitleaks $GITLEAKS_VERSION into .cache/bin (one time)" >&2
  mkdir -p "$root/.cache/bin"
  GOBIN="$root/.cache/bin" GOFLAGS=-mod=mod go install "github.com/zricethezav/gitleaks/v8@$GITLEAKS_VERSION"
  echo "$GITLEAKS_VERSION" > "$stamp"
fi
if [ "${1:-}" = "--install" ]; then
  echo "$bin"
  exit 0
fi
cd "$root"
"$bin" git . --redact --no-banner --config .gitleaks.toml
"$bin" dir . --redact --no-banner --config .gitleaks.toml
