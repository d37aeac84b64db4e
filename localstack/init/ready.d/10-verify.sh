#!/bin/bash
# READY hook: LocalStack runs it once it serves requests, and the compose healthcheck turns the
# container healthy only after it has exited 0 (/_localstack/init/ready).
#
# It verifies; it provisions nothing but the SES sender identity, which the bootstrap service
# would create anyway. Every other resource comes from the application's resource manifest through
# the bootstrap service: the same code that provisions AWS, so local and cloud never drift.
set -euo pipefail

# awslocal needs credentials and a region; LocalStack accepts any, the app uses "test"/us-east-1.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"

sender="${SES_FROM_ADDRESS:-no-reply@codecraft.local}"

log() { echo "[codecraft:ready] $*"; }

# --- SES sender identity -----------------------------------------------------------------------
# LocalStack reports "Success" for any address it is asked about, verified or not, so the proof
# is that the identity is listed after verify-email-identity.
log "verifying SES sender identity ${sender} (${AWS_DEFAULT_REGION})"
awslocal ses verify-email-identity --email-address "${sender}" >/dev/null
listed="$(awslocal ses list-identities --identity-type EmailAddress \
  --query "contains(Identities, '${sender}')" --output text)"
if [ "${listed}" != "True" ]; then
  log "ERROR: ${sender} is not listed by ses list-identities after verification" >&2
  exit 1
fi
log "SES identity ${sender}: verified"

# --- service readiness ---------------------------------------------------------------------------
# Print the state of every service named in SERVICES and fail if one of them is not up.
SERVICES="${SERVICES:-}" python3 - <<'PY'
import json
import os
import sys
import urllib.request

health = json.load(urllib.request.urlopen("http://127.0.0.1:4566/_localstack/health", timeout=10))
states = health.get("services", {})
wanted = [name.strip() for name in os.environ["SERVICES"].split(",") if name.strip()] or sorted(states)
ok = {"running", "available"}
failed = []
for name in wanted:
    state = states.get(name, "missing")
    print(f"[codecraft:ready]   {name:<16} {state}")
    if state not in ok:
        failed.append(name)
print(f"[codecraft:ready] LocalStack {health.get('edition', '?')} {health.get('version', '?')}")
if failed:
    print(f"[codecraft:ready] ERROR: not ready: {', '.join(failed)}", file=sys.stderr)
    sys.exit(1)
PY
log "LocalStack is ready; the bootstrap service creates the resources next"
