#!/usr/bin/env bash
# Installs (if needed) and starts MariaDB from Debian, then creates the codecraft database and user.
# Used by .ci/run; also handy on a Debian laptop: sudo bash .ci/setup-mariadb.sh
set -euo pipefail

DB_NAME="${DB_NAME:-codecraft}"
DB_USER="${DB_USER:-codecraft}"
DB_PASSWORD="${DB_PASSWORD:-codecraft-ci}"

if ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends mariadb-server >/dev/null
fi

if ! mariadb-admin ping --silent >/dev/null 2>&1; then
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld 2>/dev/null || true
  (mariadbd-safe --user=mysql --bind-address=127.0.0.1 >/tmp/mariadb.log 2>&1 &) || (mysqld_safe --user=mysql --bind-address=127.0.0.1 >/tmp/mariadb.log 2>&1 &)
  for _ in $(seq 1 60); do
    mariadb-admin ping --silent >/dev/null 2>&1 && break
    sleep 0.5
  done
  mariadb-admin ping --silent >/dev/null 2>&1 || { echo "MariaDB did not start"; cat /tmp/mariadb.log; exit 1; }
fi

mariadb -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${DB_PASSWORD}';
CREATE USER IF NOT EXISTS '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASSWORD}';
ALTER USER '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${DB_PASSWORD}';
ALTER USER '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASSWORD}';
GRANT ALL PRIVILEGES ON \`${DB_NAME}\`.* TO '${DB_USER}'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`${DB_NAME}\`.* TO '${DB_USER}'@'localhost';
FLUSH PRIVILEGES;
SQL
echo "MariaDB ready: mysql://${DB_USER}:***@127.0.0.1:3306/${DB_NAME}"
