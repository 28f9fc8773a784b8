import { existsSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, ZAgentEnv } from '@berth/config';
import { createLxcDriver } from '../driver/lxc/lxc-driver.ts';
import { testSpec } from '../driver/lxc/test-spec.ts';
import { run } from '../exec/run.ts';
import { prepareHost } from '../prepare-host.ts';
import { storagePaths } from '../storage/paths.ts';
import { allowPort, forgetPort } from './firewall.ts';
import { vethName } from './names.ts';

// Two real VPSes on the bridge: what a hostile VPS root can and cannot do on the network.
const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
const templateMissing = !existsSync(storagePaths(env.BERTH_DATA_DIR).template('debian-12'));
if (templateMissing) console.warn('SKIP network isolation: no debian-12 template; run agent/scripts/build-template.sh');

describe.skipIf(templateMissing)('network isolation (real containers, nftables)', () => {
  const driver = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
  const a = testSpec(246);
  const b = testSpec(247);
  let listener: Server;
  let port = 0;
  // Exit code of a command run as root inside a VPS (0 = it worked).
  const inside = async (spec: typeof a, cmd: string) => {
    const r = await run('lxc-attach', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId, '--', 'sh', '-c', cmd], { okCodes: [0, 1, 2, 124] });
    return r.exitCode;
  };
  const ping = (spec: typeof a, to: string, extra = '') => inside(spec, `ping -c1 -W1 ${extra} ${to} >/dev/null`);

  beforeAll(async () => {
    await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
    // A host service bound on the bridge address: it must stay unreachable from VPSes.
    listener = createServer((s) => s.on('error', () => {}).end('hello\n'));
    await new Promise<void>((r) => listener.listen(0, '198.18.0.1', r));
    port = (listener.address() as { port: number }).port;
    await Promise.all([a, b].map(async (s) => (await driver.create(s), await driver.start(s))));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a, b].map((s) => driver.destroy(s)));
    listener?.close();
  }, 120_000);

  it('allows only ICMP echo to the host, nothing between VPSes, no spoofed IP or MAC, unknown ports denied', async () => {
    expect(await ping(a, '198.18.0.1')).toBe(0);
    expect(await ping(a, b.network.ipv4)).not.toBe(0); // VPS-to-VPS dropped on the bridge
    // The host reaches its own listener, a VPS does not (new connections from the bridge are dropped).
    const hostConnects = await new Promise<boolean>((r) => {
      const c = connect({ host: '198.18.0.1', port }, () => (c.destroy(), r(true))).on('error', () => r(false));
    });
    expect(hostConnects).toBe(true);
    expect(await inside(a, `timeout 2 bash -c 'exec 3<>/dev/tcp/198.18.0.1/${port}'`)).not.toBe(0);
    expect(await inside(a, `timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}'`)).not.toBe(0);

    // A VPS taking another address: its packets from that address never leave its port.
    await inside(a, 'ip addr add 198.18.0.77/24 dev eth0');
    expect(await ping(a, '198.18.0.1', '-I 198.18.0.77')).not.toBe(0);
    await inside(a, 'ip addr del 198.18.0.77/24 dev eth0');
    expect(await ping(a, '198.18.0.1')).toBe(0);

    // Unknown port = denied: without its set elements a running VPS is cut off, with them it is back.
    await forgetPort(vethName(b.serverId));
    expect(await ping(b, '198.18.0.1')).not.toBe(0);
    await allowPort(vethName(b.serverId), b.network.mac, b.network.ipv4, b.network);
    expect(await ping(b, '198.18.0.1')).toBe(0);

    // A VPS changing its MAC is cut off as well.
    await inside(b, 'ip link set eth0 down && ip link set eth0 address 02:be:00:00:99:99 && ip link set eth0 up');
    await inside(b, 'ip neigh flush all');
    expect(await ping(b, '198.18.0.1')).not.toBe(0);
    // And no route leaves the bridge (gateway null): the VPS has no default route at all.
    expect((await run('lxc-attach', ['-P', env.BERTH_LXC_PATH, '-n', a.serverId, '--', 'ip', '-4', 'route'])).stdout).not.toMatch(/default/);
  }, 120_000);
});
