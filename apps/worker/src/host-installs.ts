import path from 'node:path';
import postgres from 'postgres';
import { REPO_ROOT } from '@berth/config';
import { runPendingInstall, type TRedisAdmin } from '@berth/core';
import type { TDb } from '@berth/db';

type TOptions = {
  db: TDb; databaseUrl: string; sessionSecret: string; signingKey?: string; redis: TRedisAdmin; redisUrl: string;
  agentRedisAddress?: string; prefix: string; templatesDir: string; heartbeatTimeoutMs: number; agentHeartbeatMs?: number;
  log: (m: string) => void;
};

/**
 * Run queued host installs (agent over SSH) as soon as Postgres NOTIFYs one, with a sweep as the safety net.
 * One at a time per worker process: an install is minutes of SSH and copying, rare and admin-driven.
 */
export const startHostInstaller = async (o: TOptions) => {
  const sql = postgres(o.databaseUrl, { max: 1, onnotice: () => {} });
  const agentRedis = new URL(o.redisUrl);
  if (o.agentRedisAddress) agentRedis.host = o.agentRedisAddress;
  let running = false;
  const round = async () => {
    if (running) return;
    if (!o.signingKey) return o.log('host installs wait: this worker has no CONSOLE_SIGNING_KEY');
    running = true;
    try {
      while (await runPendingInstall({
        db: o.db, sessionSecret: o.sessionSecret, signingKey: o.signingKey, redis: o.redis, agentRedisUrl: agentRedis.toString(),
        prefix: o.prefix, root: REPO_ROOT, bundleCacheDir: path.join(REPO_ROOT, '.cache/agent-bundles'), templatesDir: o.templatesDir,
        heartbeatTimeoutMs: o.heartbeatTimeoutMs, agentEnvExtra: o.agentHeartbeatMs ? { AGENT_HEARTBEAT_MS: String(o.agentHeartbeatMs) } : {},
        log: o.log,
      }));
    } catch (e) {
      o.log(`host install round failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      running = false;
    }
  };
  await sql.listen('berth_host_install', () => void round());
  const timer = setInterval(() => void round(), 5000);
  void round();
  return {
    close: async () => {
      clearInterval(timer);
      await sql.end({ timeout: 5 });
    },
  };
};
