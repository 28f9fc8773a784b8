#!/usr/bin/env bash
# Local Redis 7 for BullMQ: loopback only, a password, AOF on (a restart loses no job), never evict keys.
# Users live in an ACL file: the admin ("default", REDIS_URL's password) written here, one user per host
# (ensureHostRedisUser, ACL SAVE) kept across runs and restarts.
set -euo pipefail
cd "$(dirname "$0")/../.."
set -a; . ./.env; set +a
read -r host port pass < <(node -e 'const u=new URL(process.argv[1]);console.log(u.hostname,u.port||6379,decodeURIComponent(u.password)||"-")' "$REDIS_URL")
if [ "$host" != 127.0.0.1 ] && [ "$host" != localhost ]; then echo "[setup] using external Redis at $host"; exit 0; fi
mkdir -p /etc/berth /var/lib/berth/redis
conf=/etc/berth/redis.conf
acl=/etc/berth/redis-users.acl
cat > "$conf.new" <<CONF
bind 127.0.0.1
protected-mode yes
port $port
aclfile $acl
appendonly yes
appendfsync everysec
maxmemory-policy noeviction
dir /var/lib/berth/redis
daemonize yes
pidfile /run/berth-redis.pid
logfile /var/log/berth-redis.log
CONF
changed=0
old_pass=$(awk '$1=="requirepass"{print $2}' "$conf" 2>/dev/null || true)
cmp -s "$conf.new" "$conf" || { mv "$conf.new" "$conf"; chmod 600 "$conf"; changed=1; }
rm -f "$conf.new"
# With an aclfile Redis ignores requirepass: the admin's password is the default user's, in the file (the
# line exactly as ACL SAVE writes it, so a second run finds nothing to change). Host users are kept.
default_user="user default on #$(printf %s "$pass" | sha256sum | cut -d' ' -f1) ~* &* +@all"
touch "$acl"; chmod 600 "$acl"
if ! grep -qxF "$default_user" "$acl"; then
  { echo "$default_user"; grep -v '^user default ' "$acl" || true; } > "$acl.new"
  mv "$acl.new" "$acl"; chmod 600 "$acl"; changed=1
fi
if REDISCLI_AUTH="$pass" redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && [ $changed = 0 ]; then exit 0; fi
# Running with an older config (or password): stop it so it comes back with this one. AOF keeps its data.
for p in "$pass" "$old_pass"; do
  if [ -n "$p" ] && REDISCLI_AUTH="$p" redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
    echo "[setup] restarting Redis with the new config"
    REDISCLI_AUTH="$p" redis-cli -p "$port" shutdown >/dev/null 2>&1 || true
    for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 || break; sleep 0.1; done
  fi
done
# A password we no longer know (changed in .env): stop it by its pid (SIGTERM shuts Redis down cleanly).
if redis-cli -p "$port" ping >/dev/null 2>&1 && [ -s /run/berth-redis.pid ]; then
  echo "[setup] stopping Redis (pid $(cat /run/berth-redis.pid)) to restart it with the new users"
  kill "$(cat /run/berth-redis.pid)" || true
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 || break; sleep 0.1; done
fi
echo "[setup] starting Redis on 127.0.0.1:$port"
redis-server "$conf"
for _ in $(seq 50); do REDISCLI_AUTH="$pass" redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && exit 0; sleep 0.1; done
echo "Redis did not start; see /var/log/berth-redis.log"; exit 1
