import { Redis } from 'ioredis';
import postgres from 'postgres';
import { accessRevokedChannel } from '@berth/jobs';

type TOptions = { databaseUrl: string; redisUrl: string; prefix: string; log: (m: string) => void };

/**
 * Relay Postgres NOTIFY berth_access_revoked (sent when the change commits) to Redis pub/sub, where every
 * host's agent listens. Several workers relaying the same message is harmless: closing is idempotent.
 */
export const startAccessRevocationRelay = async ({ databaseUrl, redisUrl, prefix, log }: TOptions) => {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  redis.on('error', (e: Error) => log(`access relay: redis ${e.message}`));
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await sql.listen('berth_access_revoked', (payload) => {
    redis.publish(accessRevokedChannel(prefix), payload).catch((e: unknown) => log(`access relay: publish failed: ${String(e)}`));
  });
  return {
    close: async () => {
      await sql.end({ timeout: 2 });
      redis.disconnect();
    },
  };
};
