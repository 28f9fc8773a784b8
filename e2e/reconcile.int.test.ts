// Reconciliation through the whole stack: the agent's periodic inventory finds a container no server owns,
// the worker records it and sends server.quarantine@1, the agent sets it aside (nothing deleted), and the
// admin API shows it quarantined with its purge date.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLxcDriver } from '../agent/src/driver/lxc/lxc-driver.ts';
import { testSpec } from '../agent/src/driver/lxc/test-spec.ts';
import { portElements } from '../agent/src/network/firewall.ts';
import { vethName } from '../agent/src/network/names.ts';
import { storagePaths } from '../agent/src/storage/paths.ts';
import { agentOwner } from '../agent/src/worker/inventory.ts';
import { startStack, type TStack } from './support/stack.ts';
import { apiClient, pollUntil, type TApi } from './support/api.ts';

let stack: TStack;
let api: TApi;
let driver: ReturnType<typeof createLxcDriver>;
const spec = testSpec(253, { hostname: 'orphan-e2e' });
let location = '';

beforeAll(async () => {
  stack = await startStack({ withAgent: true, poolRange: '230-239', env: { AGENT_INVENTORY_MS: '1500', RECONCILE_SWEEP_MS: '1000' } });
  api = apiClient(stack.baseUrl, stack.adminKey);
  // A container made by this stack's agent (its owner mark) of which its database knows nothing.
  driver = createLxcDriver({ dataDir: stack.env.BERTH_DATA_DIR!, lxcPath: stack.env.BERTH_LXC_PATH!, owner: agentOwner(stack.env.BERTH_QUEUE_PREFIX!, stack.hostId) });
  await driver.create(spec);
  await driver.applyNetwork(spec);
}, 180_000);

afterAll(async () => {
  if (location) await driver?.purgeQuarantine(location).catch((e) => console.error('purge failed', e));
  await driver?.destroy(spec).catch((e) => console.error('destroy failed', e));
  await stack?.stop();
}, 120_000);

it('quarantines a container no server owns, deleting nothing', async () => {
  const page = await pollUntil('quarantined', async () => (await api.get(`/quarantined-containers?hostId=${stack.hostId}`)).body,
    (b) => b.data?.some((q: { serverId: string; status: string }) => q.serverId === spec.serverId && q.status === 'quarantined'), 60_000);
  const q = page.data.find((x: { serverId: string }) => x.serverId === spec.serverId);
  expect(q).toMatchObject({ found: 'stopped', reason: 'a container with no server row', location: expect.stringMatching(new RegExp(`^${spec.serverId}-\\d{8}T\\d{6}Z$`)) });
  expect(Date.parse(q.purgeAfter) - Date.parse(q.quarantinedAt)).toBe(7 * 24 * 3_600_000);
  location = q.location;
  const paths = storagePaths(stack.env.BERTH_DATA_DIR!);
  expect(await driver.state(spec.serverId)).toBe('absent');
  expect(existsSync(path.join(paths.quarantine, location, 'disk.img'))).toBe(true);
  expect(existsSync(path.join(paths.quarantine, location, 'lxc', 'config'))).toBe(true);
  expect(await portElements(vethName(spec.serverId))).toEqual({ macs: [], ips: [] });
  // Later reports do not find it again.
  await new Promise((r) => setTimeout(r, 3000));
  const again = (await api.get(`/quarantined-containers?hostId=${stack.hostId}`)).body.data.filter((x: { serverId: string }) => x.serverId === spec.serverId);
  expect(again).toHaveLength(1);
}, 120_000);
