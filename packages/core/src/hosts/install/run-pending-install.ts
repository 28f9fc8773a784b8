import { createPrivateKey, createPublicKey } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { TDb } from '@berth/db';
import { unseal } from '../../auth/secret-box.ts';
import { ensureHostRedisUser, type TRedisAdmin } from '../ensure-host-redis-user.ts';
import { buildAgentBundle } from './build-agent-bundle.ts';
import { installAgent } from './install-agent.ts';
import { connectRemote } from './remote.ts';
import { SSH_CREDENTIALS_PURPOSE, type TInstallOptions } from './request-install.ts';

export type TRunInstallOptions = {
  db: TDb;
  sessionSecret: string;
  /** The panel's Ed25519 key: agents get its public half to check console tickets and transfer tokens. */
  signingKey: string;
  /** Admin Redis connection (creates the host's ACL user) and the URL agents reach Redis by. */
  redis: TRedisAdmin;
  agentRedisUrl: string;
  prefix: string;
  /** Repository root (the agent's sources and node_modules) and where built bundles are kept. */
  root: string;
  bundleCacheDir: string;
  templatesDir: string;
  heartbeatTimeoutMs: number;
  /** More agent settings for every host (e.g. AGENT_HEARTBEAT_MS). */
  agentEnvExtra?: Record<string, string>;
  log: (m: string) => void;
};

const exists = (p: string) => stat(p).then(() => true, () => false);
// An install a worker died in the middle of is taken again after this long.
const STALE_MINUTES = 60;

const claim = (db: TDb) => db.$transaction(async (tx) => {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM host_installs
    WHERE status = 'pending' OR (status = 'running' AND started_at < now() - make_interval(mins => ${STALE_MINUTES}))
    ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`;
  if (!row) return null;
  return tx.hostInstall.update({ where: { id: row.id }, data: { status: 'running', startedAt: new Date(), step: 'connecting' }, include: { host: true } });
});

/** The agent this install configured has spoken (its heartbeat carries the install's id): not an older one. */
const waitForHeartbeat = async (db: TDb, hostId: string, installId: string, timeoutMs: number) => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const h = await db.host.findUniqueOrThrow({ where: { id: hostId }, select: { agentInstallId: true } });
    if (h.agentInstallId === installId) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the agent sent no heartbeat within ${Math.round(timeoutMs / 1000)} s of starting (see agent.log or journalctl -u berth-agent on the host)`);
};

/**
 * Take one queued install (SKIP LOCKED: workers never take the same one) and run it: build or reuse the
 * agent bundle, log in over SSH, install, wait for the new agent's first heartbeat; a first install also
 * records the measured capacity and puts the host online. The SSH secret is erased whatever the outcome.
 * Returns false when nothing was waiting.
 */
export const runPendingInstall = async (o: TRunInstallOptions): Promise<boolean> => {
  const job = await claim(o.db);
  if (!job) return false;
  const { host } = job;
  const step = async (s: string) => {
    await o.db.hostInstall.update({ where: { id: job.id }, data: { step: s } });
  };
  const end = (data: { status: 'succeeded' | 'failed'; error?: string; bundleId?: string; step?: string }) =>
    o.db.hostInstall.update({ where: { id: job.id }, data: { ...data, credentials: null, finishedAt: new Date() } });
  try {
    if (!job.credentials) throw new Error('the SSH credentials of this run are gone (it was interrupted); start the install again');
    const secret = JSON.parse(unseal(o.sessionSecret, SSH_CREDENTIALS_PURPOSE, job.credentials)) as { password?: string; privateKey?: string };
    await step('building the agent bundle');
    const bundle = await buildAgentBundle({ root: o.root, cacheDir: o.bundleCacheDir });
    await step('connecting');
    const remote = await connectRemote({ host: host.address, port: job.sshPort, username: job.sshUser, ...secret, expectHostKey: host.sshHostKey });
    if (!host.sshHostKey) await o.db.host.update({ where: { id: host.id }, data: { sshHostKey: remote.hostKey } });
    const verifyKey = createPublicKey(createPrivateKey({ key: Buffer.from(o.signingKey, 'base64'), format: 'der', type: 'pkcs8' }))
      .export({ format: 'der', type: 'spki' }).toString('base64');
    const templates = [];
    for (const t of await o.db.template.findMany({ where: { active: true }, select: { imageRef: true } })) {
      const file = path.join(o.templatesDir, `${t.imageRef}.img`);
      if (await exists(file)) templates.push({ imageRef: t.imageRef, file });
    }
    let warning = '';
    const measured = await (async () => {
      try {
        return await installAgent({
          remote, hostId: host.id, options: job.options as TInstallOptions, bundle, templates,
          step,
          agentEnv: async (existing) => {
            // Keep the host's Redis password across upgrades (its running agent keeps working if this run fails).
            const keep = existing ? new URL(existing) : null;
            const password = keep && decodeURIComponent(keep.username) !== '' ? decodeURIComponent(keep.password) : undefined;
            const { url, persisted } = await ensureHostRedisUser({ redis: o.redis, url: o.agentRedisUrl, prefix: o.prefix, hostId: host.id, password });
            if (!persisted) warning = ' (warning: Redis has no ACL file, so the host\'s Redis user is lost when Redis restarts; install again then)';
            return {
              REDIS_URL: url, BERTH_QUEUE_PREFIX: o.prefix, CONSOLE_VERIFY_KEY: verifyKey, BERTH_INSTALL_ID: job.id,
              AGENT_CONSOLE_HOST: '0.0.0.0', AGENT_CONSOLE_PUBLIC_HOST: host.address, AGENT_TRANSFER_PUBLIC_HOST: host.address,
              ...o.agentEnvExtra,
            };
          },
        });
      } finally {
        remote.close();
      }
    })();
    await step('waiting for the first heartbeat');
    await waitForHeartbeat(o.db, host.id, job.id, o.heartbeatTimeoutMs);
    if (host.cpuCores === 0) {
      const { cpuCores, memoryMb, diskGb } = measured;
      await o.db.host.update({ where: { id: host.id }, data: { cpuCores, memoryMb, diskGb, status: 'online' } });
    }
    await end({ status: 'succeeded', bundleId: bundle.id, step: `done${warning}` });
    o.log(`host ${host.id} (${host.address}): agent ${bundle.id} installed (${measured.serviceManager})`);
  } catch (e) {
    const error = (e instanceof Error ? e.message : String(e)).slice(0, 4000);
    await end({ status: 'failed', error });
    o.log(`host ${host.id} (${host.address}): install failed: ${error}`);
  }
  return true;
};
