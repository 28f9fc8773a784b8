import { connect, createServer, type Server } from 'node:net';
import type { TServerSpec } from '@berth/contracts';
import { afterAll, beforeAll, describe } from 'vitest';
import { createLab, templateMissing } from './lab.ts';
import { createReport } from './report.ts';

// Network attacks not already in network/isolation.int.test.ts (spoofing, VPS-to-VPS ping, a random host
// port): the host's well-known service ports, the neighbour's sshd, and IPv6 around the IPv4 filter.
const report = createReport('isolation attacks: network');
const HOST = '198.18.0.1';
const PORTS = { 22: 'host sshd', 6390: 'Berth Redis', 5432: 'Postgres' } as const;

/** TCP connect from the host itself (the control: the canary really listens). */
const hostConnects = (port: number) =>
  new Promise<boolean>((r) => {
    const c = connect({ host: HOST, port, timeout: 2000 }, () => (c.destroy(), r(true)));
    c.on('error', () => r(false)).on('timeout', () => (c.destroy(), r(false)));
  });

describe.skipIf(templateMissing)('network (real containers)', () => {
  const lab = createLab();
  let a: TServerSpec;
  let b: TServerSpec;
  // Canary listeners on the bridge address: Redis and Postgres bind 127.0.0.1 only here, so without them
  // a refused connection would prove nothing about the firewall.
  const canaries: Server[] = [];
  const accepted: Record<number, number> = {};

  /** How a TCP connect from inside a VPS ends: connected, refused, or dropped (no answer in 3 s). */
  const tcpFrom = async (spec: TServerSpec, ip: string, port: number) => {
    const r = await lab.ssh(spec, `timeout 3 bash -c 'exec 3<>/dev/tcp/${ip}/${port}' 2>/dev/null; echo $?`);
    const code = r.out.trim();
    if (!/^\d+$/.test(code)) throw new Error(`no exit code from the probe in ${spec.network.ipv4}: ${r.err.trim()}`);
    return code === '0' ? 'CONNECTED' : code === '124' ? 'dropped (no answer in 3 s)' : `refused/unreachable (rc ${code})`;
  };

  beforeAll(async () => {
    await lab.setup();
    for (const port of Object.keys(PORTS).map(Number)) {
      const s = createServer((c) => ((accepted[port] = (accepted[port] ?? 0) + 1), c.on('error', () => {}).end('canary\n')));
      const ok = await new Promise<boolean>((r) => s.once('error', () => r(false)).listen(port, HOST, () => r(true)));
      if (ok) canaries.push(s); // else a real service already listens there, which serves as well
    }
    a = await lab.boot(243);
    b = await lab.boot(244);
  }, 300_000);

  afterAll(async () => {
    await lab.teardown();
    for (const s of canaries) s.close();
    report.print();
  }, 300_000);

  report.it('host service ports on the bridge address are unreachable from a VPS', async () => {
    for (const [p, name] of Object.entries(PORTS)) {
      const port = Number(p);
      const listening = await hostConnects(port);
      const seen = accepted[port] ?? 0;
      const how = await tcpFrom(a, HOST, port);
      report.check(`TCP ${HOST}:${port} (${name}) from VPS A`, 'no connection (host itself connects)',
        `${how}; host connects: ${listening}; accepted from VPS: ${(accepted[port] ?? 0) - seen}`,
        how !== 'CONNECTED' && listening && (accepted[port] ?? 0) - seen === 0);
    }
  });

  report.it('the neighbour\'s sshd is unreachable, both ways; the host reaches both', async () => {
    const ab = await tcpFrom(a, b.network.ipv4, 22);
    const ba = await tcpFrom(b, a.network.ipv4, 22);
    const host = (await lab.ssh(b, 'echo reached')).out.trim();
    report.checkAll([
      [`TCP ${b.network.ipv4}:22 (neighbour sshd) from A`, 'no connection', ab, ab !== 'CONNECTED'],
      [`TCP ${a.network.ipv4}:22 from B`, 'no connection', ba, ba !== 'CONNECTED'],
      ['control: host ssh to B', 'reached', host || 'failed', host === 'reached'],
    ]);
  });

  report.it('IPv6 link-local between VPSes is dropped (the filter is IPv4/ARP only)', async () => {
    // Root inside may turn IPv6 on and pick its own link-local address; the bridge must not carry it.
    const on = (s: TServerSpec, addr: string) =>
      lab.ssh(s, `sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0 && ip -6 addr replace ${addr}/64 dev eth0 nodad && echo on`);
    const [oa, ob] = [await on(a, 'fe80::be:243'), await on(b, 'fe80::be:244')];
    const uni = (await lab.ssh(a, 'ping -6 -c2 -W1 fe80::be:244%eth0 >/dev/null 2>&1; echo $?')).out.trim();
    const multi = (await lab.ssh(a, "ping -6 -c2 -W1 ff02::1%eth0 2>/dev/null | grep 'bytes from' | grep -vc 'fe80::be:243'")).out.trim();
    report.checkAll([
      ['IPv6 enabled by root inside A and B', 'allowed (their own netns)', `${oa.out.trim()} / ${ob.out.trim()}`, oa.out.trim() === 'on' && ob.out.trim() === 'on'],
      ['ping6 neighbour link-local fe80::be:244', 'no reply (rc 1)', `rc ${uni}`, uni === '1'],
      ['ping6 all-nodes ff02::1 from A', '0 replies from others', `${multi} replies from others`, multi === '0'],
    ]);
  });
});
