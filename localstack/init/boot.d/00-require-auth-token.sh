#!/bin/bash
# BOOT hook: runs inside the container before LocalStack starts.
#
# LocalStack needs LOCALSTACK_AUTH_TOKEN. docker-compose.yml cannot make the variable required
# (a ${LOCALSTACK_AUTH_TOKEN:?} there would break the moto override, because compose interpolates
# each file before merging), so the check lives here, where it can also name the alternative.
if [ -z "${LOCALSTACK_AUTH_TOKEN:-}" ]; then
  cat >&2 <<'MSG'
[codecraft:boot] LOCALSTACK_AUTH_TOKEN is empty: LocalStack will not start without it.
[codecraft:boot]   Either put your token in .env at the repository root
[codecraft:boot]     (cp localstack/.env.example .env; see localstack/README.md),
[codecraft:boot]   or run the same stack on moto, which needs no account:
[codecraft:boot]     docker compose -f docker-compose.yml -f docker-compose.moto.yml up --build
MSG
  exit 1
fi
echo "[codecraft:boot] LOCALSTACK_AUTH_TOKEN is set"
