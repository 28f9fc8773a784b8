import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadEnv, ZAgentEnv } from '@berth/config';
import { disableLxcNet } from './host/lxc-net.ts';
import { ensureLxcfs } from './host/lxcfs.ts';
import { capLxcfsCpu } from './host/lxcfs-cgroup.ts';
import { ensureSubIds } from './host/subids.ts';
import { ensureSysctls } from './host/sysctl.ts';
import { ensureBridge } from './network/bridge.ts';
import { ensureFirewall } from './network/firewall.ts';
import { ensurePool } from './storage/pool.ts';

export type TPrepareHostOptions = { dataDir: string; lxcPath: string };

/**
 * Converge the host to what the agent needs; idempotent, run at every agent boot and by hand. The
 * firewall comes before the bridge so there is never a moment with VPS ports and no filter.
 */
export const prepareHost = async ({ dataDir, lxcPath }: TPrepareHostOptions): Promise<void> => {
  await ensureSubIds();
  await ensureSysctls();
  await disableLxcNet();
  await ensureFirewall();
  await ensureBridge();
  await ensurePool(dataDir);
  await mkdir(lxcPath, { recursive: true, mode: 0o755 });
  await ensureLxcfs();
  await capLxcfsCpu();
};

// `npx tsx agent/src/prepare-host.ts`: only the storage paths are needed, not the queue settings.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
  const t0 = performance.now();
  await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
  console.log(`prepare-host: ok in ${Math.round(performance.now() - t0)} ms`);
}
