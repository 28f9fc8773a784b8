// A host's own Redis user, limited to its own two queues (ensureHostRedisUser).
//   npx tsx scripts/setup/host-redis-user.ts            this machine's host (npm run setup): AGENT_REDIS_URL
//                                                       in .env, which `npm start` gives the agent as REDIS_URL;
//                                                       a password that still works is kept (idempotent)
//   ... --rotate                                        the same with a fresh password (restart the agent)
//   ... --host host_x [--url redis://10.0.0.1:6390/0]   another host: a fresh password; prints only the
//                                                       URL for that agent's REDIS_URL (--url: Redis as it reaches it)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { REPO_ROOT, loadEnv, parseDotEnv, ZAgentEnv } from '@berth/config';
import { deleteHostRedisUser, ensureHostRedisUser, hostRedisAcl } from '@berth/core';

const { values } = parseArgs({ options: { host: { type: 'string' }, url: { type: 'string' }, rotate: { type: 'boolean' } } });
const env = loadEnv(ZAgentEnv.pick({ REDIS_URL: true, BERTH_QUEUE_PREFIX: true }));
const prefix = env.BERTH_QUEUE_PREFIX;
const admin = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });

try {
  if (values.host) {
    const r = await ensureHostRedisUser({ redis: admin, url: values.url ?? env.REDIS_URL, prefix, hostId: values.host });
    if (!r.persisted) console.error(`warning: Redis has no ACL file: ${r.username} is lost when Redis restarts`);
    console.log(r.url);
  } else {
    const hostId = loadEnv(ZAgentEnv.pick({ BERTH_HOST_ID: true })).BERTH_HOST_ID;
    const envFile = path.join(REPO_ROOT, '.env');
    const text = readFileSync(envFile, 'utf8');
    const current = parseDotEnv(text).AGENT_REDIS_URL;
    const { username } = hostRedisAcl({ prefix, hostId });
    // Keep the agent's password while it is still this user's: a second setup changes nothing.
    let password: string | undefined;
    if (current && !values.rotate) {
      const u = new URL(current);
      const hashes = ((await admin.call('ACL', 'GETUSER', username)) as unknown[] | null)?.[3] as string[] | undefined;
      const p = decodeURIComponent(u.password);
      if (decodeURIComponent(u.username) === username && hashes?.includes(createHash('sha256').update(p).digest('hex'))) password = p;
    }
    const r = await ensureHostRedisUser({ redis: admin, url: env.REDIS_URL, prefix, hostId, password });
    const lines = text.split('\n').filter((l) => !l.startsWith('AGENT_REDIS_URL='));
    if (r.persisted) {
      if (r.url !== current) {
        writeFileSync(envFile, `${lines.join('\n').replace(/\n*$/, '\n')}AGENT_REDIS_URL=${r.url}\n`);
        console.log(`[setup] this host's agent has its own Redis user ${r.username} (AGENT_REDIS_URL in .env)`);
      }
    } else {
      // Without an ACL file the user would vanish at Redis's next restart and the agent could not connect.
      await deleteHostRedisUser({ redis: admin, prefix, hostId, persist: false });
      if (current) writeFileSync(envFile, `${lines.join('\n').replace(/\n*$/, '\n')}`);
      console.log(`[setup] Redis has no ACL file: this host's agent keeps using REDIS_URL`);
    }
  }
} finally {
  admin.disconnect();
}
