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
# Console tickets: the panel signs (Ed25519 private key), agents verify (public key); a host cannot mint tickets.
if ! have CONSOLE_SIGNING_KEY; then
  key=$(openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)
  add CONSOLE_SIGNING_KEY "$key"
  sed -i '/^CONSOLE_VERIFY_KEY=/d' .env
  add CONSOLE_VERIFY_KEY "$(echo "$key" | base64 -d | openssl pkey -inform DER -pubout -outform DER | base64 -w0)"
fi
