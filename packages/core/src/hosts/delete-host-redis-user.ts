import type { TRedisAdmin } from './ensure-host-redis-user.ts';
import { hostRedisAcl } from './host-redis-acl.ts';

type TOptions = { redis: TRedisAdmin; prefix: string; hostId: string; persist?: boolean };

/** Remove a host's Redis user (its open connections are closed by Redis); true if it existed. */
export const deleteHostRedisUser = async ({ redis, prefix, hostId, persist = true }: TOptions): Promise<boolean> => {
  const { username } = hostRedisAcl({ prefix, hostId });
  const n = Number(await redis.call('ACL', 'DELUSER', username));
  if (persist && n) await redis.call('ACL', 'SAVE').catch((e: unknown) => {
    if (!/not configured to use an ACL file/i.test(String(e))) throw e;
  });
  return n > 0;
};
