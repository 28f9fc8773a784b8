import { randomBytes } from 'node:crypto';
import { hostRedisAcl } from './host-redis-acl.ts';

/** An admin Redis connection (an ioredis client fits): core needs no Redis client of its own. */
export type TRedisAdmin = { call(command: string, ...args: string[]): Promise<unknown> };

type TOptions = {
  redis: TRedisAdmin;
  /** Redis as the host's agent reaches it (redis[s]://host:port/db); its credentials are replaced. */
  url: string;
  prefix: string;
  hostId: string;
  /** Keep this password (re-applying the rules changes nothing); without it a fresh one is made: a rotation. */
  password?: string;
  /** ACL SAVE afterwards, so the user survives a Redis restart (default true; tests pass false). */
  persist?: boolean;
};

/**
 * Create or update the host's Redis ACL user so that its credentials reach only its own two queues (a
 * compromised host cannot read or forge other hosts' jobs or events) and return the redis:// URL for its
 * agent. The rules are replaced atomically (`reset` first); a rotation also drops the connections opened
 * with the old password. `persisted` is false when Redis has no ACL file (the user lives until a restart).
 */
export const ensureHostRedisUser = async ({ redis, url, prefix, hostId, password, persist = true }: TOptions) => {
  const { username, rules } = hostRedisAcl({ prefix, hostId });
  const secret = password ?? randomBytes(32).toString('hex');
  await redis.call('ACL', 'SETUSER', username, 'reset', 'on', `>${secret}`, ...rules);
  if (!password) await redis.call('CLIENT', 'KILL', 'USER', username);
  let persisted = false;
  if (persist) {
    try {
      await redis.call('ACL', 'SAVE');
      persisted = true;
    } catch (e) {
      if (!/not configured to use an ACL file/i.test(String(e))) throw e;
    }
  }
  const u = new URL(url);
  u.username = encodeURIComponent(username);
  u.password = secret;
  return { username, url: u.toString(), persisted };
};
