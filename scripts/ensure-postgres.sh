#!/usr/bin/env bash
# Starts the local PostgreSQL cluster when it is not accepting connections.
set -euo pipefail
host=${PGHOST:-127.0.0.1}
if pg_isready -q -h "$host" -p 5432; then exit 0; fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 1 30); do
  pg_isready -q -h "$host" -p 5432 && exit 0
  sleep 1
done
echo "PostgreSQL did not start / PostgreSQL 未能启动" >&2
exit 1
