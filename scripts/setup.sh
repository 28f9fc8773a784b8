#!/usr/bin/env bash
# npm run setup — everything a fresh Debian 12 host (as root) needs to run and test Berth. Idempotent:
# a second run only checks. Uses DATABASE_URL / REDIS_URL from the environment when given, else local ones.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

[ "$(id -u)" = 0 ] || { echo "setup must run as root (it installs packages and prepares LXC)"; exit 1; }

# 1. Debian packages (only when something is missing).
PKGS=(postgresql redis-server lxc lxcfs debootstrap uidmap nftables openssh-server openssh-client chromium
      xfsprogs e2fsprogs rsync busybox-static iproute2 ca-certificates openssl procps util-linux mount
      debian-archive-keyring gpgv perl-base python3
      poppler-utils) # poppler-utils: pdftotext, the tests read invoice PDFs back as text
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. npm dependencies (npm ci only when the lockfile changed since the last install).
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.berth-lock 2>/dev/null)" != "$lock_hash" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.berth-lock
fi

# 3. .env: generated once, never overwritten (secrets stay stable across runs).
bash scripts/setup/env.sh
set -a; . ./.env; set +a

# 4. PostgreSQL and Redis (local unless URLs point elsewhere).
bash scripts/setup/postgres.sh
bash scripts/setup/redis.sh

# 5. Schema.
npx prisma generate >/dev/null
if node scripts/setup/migrations-pending.mjs; then
  log "applying migrations"
  npx prisma migrate deploy 2>&1 | grep -E "applied|Error|P[0-9]{4}" || true
  node scripts/setup/migrations-pending.mjs && { echo "migrations did not apply"; exit 1; }
fi

# 6. The host: subuid ranges, bridge, nftables, lxcfs, image pool; then the OS template (cached).
log "preparing this host for LXC"
npx tsx agent/src/prepare-host.ts
log "building the OS template (cached by recipe)"
bash agent/scripts/build-template.sh

# 7. Seed and build the panel.
host_id=$(npx tsx prisma/seed/main.ts)
grep -q '^BERTH_HOST_ID=' .env || echo "BERTH_HOST_ID=$host_id" >> .env
# This host's agent gets its own Redis user, limited to its own queues (AGENT_REDIS_URL in .env).
npx tsx scripts/setup/host-redis-user.ts
if [ "$(bash scripts/setup/panel-hash.sh)" != "$(cat apps/panel/.next/.berth-src 2>/dev/null)" ]; then
  log "building the panel (next build)"
  (cd apps/panel && npx next build >/tmp/berth-next-build.log 2>&1) || { cat /tmp/berth-next-build.log; exit 1; }
  bash scripts/setup/panel-hash.sh > apps/panel/.next/.berth-src
fi

log "done. Start everything with: npm start   (panel on http://127.0.0.1:3000, admin: $BERTH_ADMIN_EMAIL, password in .env)"
