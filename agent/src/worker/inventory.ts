import type { THostInventoryEvent } from '@berth/contracts';
import type { ContainerDriver } from '../driver/driver.ts';
import type { TReporter } from './reporter.ts';

/** `owner`: this agent's mark (agentOwner) on what it made. */
type TOptions = { driver: ContainerDriver; reporter: TReporter; hostId: string; owner: string; everyMs: number; retryMs?: number };

/**
 * Who an agent is on its machine: its queue namespace and host id. Production runs one per host; test
 * stacks run several on one machine (same host id, own prefix), each reconciling only its own containers.
 */
export const agentOwner = (prefix: string, hostId: string) => `${prefix}/${hostId}`;

/**
 * What is on this host right now: every container with its state (those another agent marked are not
 * ours to report: test rigs run several agents on one machine), the unmarked ones named as such, and the
 * disk images this agent made that have no container.
 */
export const takeInventory = async (driver: ContainerDriver, hostId: string, owner: string): Promise<THostInventoryEvent> => {
  const at = new Date().toISOString(); // before looking: the panel trusts the report only from this instant on
  const all = await driver.list();
  const owners = await Promise.all(all.map((id) => driver.ownerOf(id)));
  const ids = all.filter((_, i) => owners[i] === null || owners[i] === owner);
  const unmarked = all.filter((_, i) => owners[i] === null);
  const servers = [];
  // A few lxc-info at a time: a host may carry thousands of VPSes.
  for (let i = 0; i < ids.length; i += 16) {
    const chunk = ids.slice(i, i + 16);
    servers.push(...(await Promise.all(chunk.map(async (serverId) => ({ serverId, state: await driver.state(serverId) })))));
  }
  const containers = new Set(all);
  const images = (await driver.listImages()).filter((id) => !containers.has(id));
  const imageOwners = await Promise.all(images.map((id) => driver.ownerOf(id)));
  const orphanImages = images.filter((_, i) => imageOwners[i] === owner);
  return { hostId, at, servers, orphanImages, unmarked };
};

/**
 * At boot and every `everyMs`, tell the panel which VPSes exist here and whether they run, and which disks
 * have no container: after a host reboot the panel starts again those it knows should run, and it
 * reconciles what nobody owns. A failed report is retried after `retryMs`, so boot never waits on Redis.
 */
export const reportInventory = ({ driver, reporter, hostId, owner, everyMs, retryMs = 2000 }: TOptions): { stop: () => void } => {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (): Promise<void> => {
    if (stopped) return;
    let next = everyMs;
    try {
      const event = await takeInventory(driver, hostId, owner);
      await reporter.inventory(event);
      const running = event.servers.filter((s) => s.state === 'running').length;
      console.log(`inventory: ${event.servers.length} VPS(es), ${running} running, ${event.orphanImages?.length ?? 0} disk(s) without a container`);
    } catch (e) {
      console.warn('inventory report failed, retrying:', e instanceof Error ? e.message : e);
      next = Math.min(retryMs, everyMs);
    }
    if (!stopped) timer = setTimeout(() => void attempt(), next);
  };
  void attempt();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
};
