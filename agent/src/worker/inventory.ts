import type { ContainerDriver } from '../driver/driver.ts';
import type { TReporter } from './reporter.ts';

type TOptions = { driver: ContainerDriver; reporter: TReporter; hostId: string; retryMs?: number };

/**
 * At boot, tell the panel which VPSes exist here and whether they run: after a host reboot they are all
 * stopped, and the panel starts again those it knows should run (limits and filters re-applied by start).
 * Retried in the background until Redis takes it, so boot never waits on it.
 */
export const reportInventory = ({ driver, reporter, hostId, retryMs = 2000 }: TOptions): { stop: () => void } => {
  let stopped = false;
  const attempt = async (): Promise<void> => {
    while (!stopped) {
      try {
        const ids = await driver.list();
        const servers = [];
        // A few lxc-info at a time: a host may carry thousands of VPSes.
        for (let i = 0; i < ids.length; i += 16) {
          const chunk = ids.slice(i, i + 16);
          servers.push(...(await Promise.all(chunk.map(async (serverId) => ({ serverId, state: await driver.state(serverId) })))));
        }
        await reporter.inventory({ hostId, at: new Date().toISOString(), servers });
        console.log(`inventory: ${servers.length} VPS(es), ${servers.filter((s) => s.state === 'running').length} running`);
        return;
      } catch (e) {
        console.warn('inventory report failed, retrying:', e instanceof Error ? e.message : e);
        await new Promise((r) => setTimeout(r, retryMs));
      }
    }
  };
  void attempt();
  return { stop: () => void (stopped = true) };
};
