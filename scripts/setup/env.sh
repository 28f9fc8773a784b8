#!/usr/bin/env bash
# Write .env once with fresh secrets; values given in the environment win (external Postgres/Redis).
set -euo pipefail
cd "$(dirname "$0")/../.."
rand() { openssl rand -hex "$1"; }
touch .env
chmod 600 .env
have() { grep -q "^$1=" .env; }
add() { have "$1" || echo "$1=$2" >> .env; }
add DATABASE_URL "${DATABASE_URL:-postgresql://berth:$(rand 16)@127.0.0.1:5432/berth}"
add REDIS_URL "${REDIS_URL:-redis://:$(rand 16)@127.0.0.1:6390/0}"
add BERTH_LOCAL_SERVICES "$([ -n "${DATABASE_URL:-}${REDIS_URL:-}" ] && echo 0 || echo 1)"
add SESSION_SECRET "$(rand 32)"
add BERTH_ADMIN_EMAIL "admin@berth.local"
add BERTH_ADMIN_PASSWORD "$(rand 12)"
add BERTH_DATA_DIR "/var/lib/berth"
add BERTH_LXC_PATH "/var/lib/berth/lxc"
