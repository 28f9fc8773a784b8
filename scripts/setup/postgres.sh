#!/usr/bin/env bash
# Local PostgreSQL 15: start the Debian cluster and create Berth's role (CREATEDB: tests make their own databases).
set -euo pipefail
cd "$(dirname "$0")/../.."
set -a; . ./.env; set +a
host=$(node -e 'console.log(new URL(process.argv[1]).hostname)' "$DATABASE_URL")
if [ "$host" != 127.0.0.1 ] && [ "$host" != localhost ]; then echo "[setup] using external PostgreSQL at $host"; exit 0; fi
if ! pg_lsclusters -h | awk '$1==15 && $2=="main" {print $4}' | grep -q online; then
  echo "[setup] starting PostgreSQL 15"
  pg_ctlcluster 15 main start
fi
read -r user pass db < <(node -e 'const u=new URL(process.argv[1]);console.log(decodeURIComponent(u.username),decodeURIComponent(u.password),u.pathname.slice(1))' "$DATABASE_URL")
psql_() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAtX" ; }
# Passwords are hex from env.sh (or the operator's URL): safe inside single quotes.
psql_ <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$user') THEN
    CREATE ROLE "$user" LOGIN CREATEDB PASSWORD '$pass';
  ELSE
    ALTER ROLE "$user" LOGIN CREATEDB PASSWORD '$pass';
  END IF;
END \$\$;
SQL
if [ "$(echo "SELECT 1 FROM pg_database WHERE datname = '$db'" | psql_)" != 1 ]; then
  su postgres -c "createdb -O '$user' '$db'"
fi
