import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import type { TServerSpec } from '@berth/contracts';
import { afterAll, beforeAll, describe } from 'vitest';
import { run } from '../exec/run.ts';
import { createLab, SLOTS_B, templateMissing } from './lab.ts';
import { arpFrame, arpNeedle, arpScan, ethFrame, markerHex, matching, sendFrom, sniffHost, sniffIn, tcpScan, udpFrame } from './frames.ts';
import { createReport } from './report.ts';

// Raw sockets from inside a VPS: root has CAP_NET_RAW in its own network namespace, so it can put any frame
// on its veth. What counts is what arrives: captured on the host's bridge device and inside the neighbour.
const report = createReport('isolation attacks: raw frames, spoofing and neighbour scanning');
// Host services (sshd, the panel, Postgres, Redis, the agent's console and transfer ports, a canary) and common ones.
const ROUNDS = Math.max(1, Number(process.env.ATTACK_ROUNDS ?? 1) || 1); // `npm run attack` scans more ports than CI
const SCAN_PORTS = [22, 25, 80, 111, 443, 3000, 5432, 6379, 6390, 8091, 8092, 9100,
  ...(ROUNDS > 1 ? [21, 23, 53, 110, 143, 873, 993, 995, 2049, 3306, 5000, 8000, 8080, 8443, 9000, 9090, 10050, 11211, 27017] : [])];
const CANARY = 9100;
const HOST = '198.18.0.1';
const BCAST = 'ff:ff:ff:ff:ff:ff';
const ROGUE_MAC = '02:66:66:66:66:66';

describe.skipIf(templateMissing)('raw frames (real containers, AF_PACKET)', () => {
  const lab = createLab(SLOTS_B);
  let a: TServerSpec; // the attacker
  let b: TServerSpec; // its neighbour, another tenant
  let hostMac = '';

  /**
   * Send `frames` from A while capturing on the host's bridge device and inside B; plus a datagram from the
   * host to B (the control: B's capture works) tagged `control`.
   */
  const volley = async (frames: string[], control: string) => {
    const host = await sniffHost('berth0', 7);
    setTimeout(() => {
      const s = createSocket('udp4');
      s.send(control, 9, b.network.ipv4, () => s.close());
    }, 3000);
    const [atB, sent, atHost] = await Promise.all([sniffIn(lab, b, 6), sendFrom(lab, a, frames, 2.5), host.frames]);
    return { sent, atHost, atB };
  };

  beforeAll(async () => {
    await lab.setup();
    a = await lab.boot(240);
    b = await lab.boot(241);
    hostMac = (await readFile('/sys/class/net/berth0/address', 'utf8')).trim();
  }, 300_000);

  afterAll(async () => {
    await lab.teardown();
    report.print();
  }, 300_000);

  report.it('forged frames: foreign ethertype, rogue and stolen MAC, spoofed IPv4 source, direct L2 to the neighbour', async () => {
    const me = { mac: a.network.mac, ip: a.network.ipv4 };
    const m = (tag: string) => `berth-attack-${tag}-${a.serverId}`;
    const frames = {
      ethertype: ethFrame(BCAST, me.mac, 0x88b5, markerHex(m('ethertype'))),
      rogueMac: udpFrame({ dst: BCAST, src: ROGUE_MAC, srcIp: me.ip, dstIp: '198.18.0.255', port: 9, marker: m('roguemac') }),
      stolenMac: udpFrame({ dst: BCAST, src: b.network.mac, srcIp: me.ip, dstIp: '198.18.0.255', port: 9, marker: m('stolenmac') }),
      spoofIpHost: udpFrame({ dst: hostMac, src: me.mac, srcIp: b.network.ipv4, dstIp: HOST, port: 9, marker: m('spoofip') }),
      spoofIpBcast: udpFrame({ dst: BCAST, src: me.mac, srcIp: '10.9.9.9', dstIp: '255.255.255.255', port: 9, marker: m('spoofbcast') }),
      directToB: udpFrame({ dst: b.network.mac, src: me.mac, srcIp: me.ip, dstIp: b.network.ipv4, port: 9, marker: m('direct') }),
      // The control: a well-formed datagram to the host, which the host must see (its capture works).
      legit: udpFrame({ dst: hostMac, src: me.mac, srcIp: me.ip, dstIp: HOST, port: 9, marker: m('legit') }),
    };
    const { sent, atHost, atB } = await volley(Object.values(frames), m('control'));
    const seen = (tag: string) => `host ${matching(atHost, markerHex(m(tag))).length}, B ${matching(atB, markerHex(m(tag))).length}`;
    const none = (tag: string) => seen(tag) === 'host 0, B 0';
    const allSent = sent.length === Object.keys(frames).length && sent.every((l) => l.startsWith('sent '));
    report.checkAll([
      ['AF_PACKET raw socket inside A: send 7 forged frames', 'allowed in its own netns (sent)', sent.join('; '), allSent],
      ['control: well-formed UDP from A to the host', 'seen by the host capture', seen('legit'), matching(atHost, markerHex(m('legit'))).length > 0],
      ['control: UDP from the host to B', 'seen by B\'s capture', `B ${matching(atB, markerHex(m('control'))).length}`, matching(atB, markerHex(m('control'))).length > 0],
      ['frame with ethertype 0x88b5 (not IPv4/ARP), broadcast', 'reaches neither host nor B', seen('ethertype'), none('ethertype')],
      [`IPv4 from a rogue MAC ${ROGUE_MAC}, broadcast`, 'reaches neither host nor B', seen('roguemac'), none('roguemac')],
      ['IPv4 with B\'s MAC as source (MAC theft), broadcast', 'reaches neither host nor B', seen('stolenmac'), none('stolenmac')],
      [`IPv4 with B's address as source, to the host`, 'reaches neither host nor B', seen('spoofip'), none('spoofip')],
      ['IPv4 from 10.9.9.9 to 255.255.255.255', 'reaches neither host nor B', seen('spoofbcast'), none('spoofbcast')],
      ['well-formed unicast frame straight to B\'s MAC', 'never reaches B (other tenant)', seen('direct'), matching(atB, markerHex(m('direct'))).length === 0],
    ]);
  });

  report.it('neighbour scanning: ARP, ICMP and TCP sweeps of the /24', async () => {
    // A canary on the host's bridge address (so "nothing found" is not just "nothing there"), and B's sshd.
    const canary = createServer((c) => c.on('error', () => {}).end('canary\n'));
    const listening = await new Promise<boolean>((r) => canary.once('error', () => r(false)).listen(CANARY, HOST, () => r(true)));
    const tcp = (ip: string, port: number) => new Promise<boolean>((r) => {
      const c = connect({ host: ip, port, timeout: 2000 }, () => (c.destroy(), r(true)));
      c.on('error', () => r(false)).on('timeout', () => (c.destroy(), r(false)));
    });
    try {
      const controls = `host reaches B:22 ${await tcp(b.network.ipv4, 22)}, canary ${HOST}:${CANARY} ${listening && (await tcp(HOST, CANARY))}`;
      const arp = await arpScan(lab, a);
      const ping = (await lab.ssh(a, `seq 1 254 | xargs -P 48 -I{} sh -c 'ping -c1 -W1 198.18.0.{} >/dev/null 2>&1 && echo {}'`, { timeoutMs: 120_000 }))
        .out.split('\n').filter((l) => l && l !== a.network.ipv4.split('.')[3]).map((l) => `198.18.0.${l}`);
      const scan = await tcpScan(lab, a, SCAN_PORTS);
      report.checkAll([
        ['control: host connects to B:22 and to its own canary', 'true, true', controls, controls === `host reaches B:22 true, canary ${HOST}:${CANARY} true`],
        ['ARP who-has sweep of 198.18.0.1-254 from A', `only ${HOST} (the host) answers`, arp.join(' ') || 'none', arp.join(' ') === HOST],
        ['ICMP echo sweep of 198.18.0.1-254 from A', `only ${HOST} answers (echo is allowed)`, ping.join(' ') || 'none', ping.join(' ') === HOST],
        [`TCP connect scan, 253 addresses x ${SCAN_PORTS.length} ports`, 'nothing open, nothing refused (all silent)',
          `open [${scan.open.join(' ')}], refused [${scan.refused.join(' ')}], unreachable ${scan.unreachable}, silent ${scan.silent}`,
          scan.open.length === 0 && scan.refused.length === 0],
      ]);
    } finally {
      canary.close();
    }
  });

  report.it('ARP spoofing: claim the neighbour\'s and the host\'s address, forge the sender MAC', async () => {
    const neighBefore = (await run('ip', ['neigh', 'show', b.network.ipv4, 'dev', 'berth0'])).stdout.trim();
    const me = a.network.mac;
    const frames = [
      // "B's address is at A's MAC", to the host (cache poisoning) and to everyone.
      arpFrame({ dst: hostMac, src: me, op: 2, senderMac: me, senderIp: b.network.ipv4, targetMac: hostMac, targetIp: HOST }),
      arpFrame({ dst: BCAST, src: me, op: 1, senderMac: me, senderIp: b.network.ipv4, targetMac: '00:00:00:00:00:00', targetIp: b.network.ipv4 }),
      // Gratuitous ARP for the host's own address (steal the gateway).
      arpFrame({ dst: BCAST, src: me, op: 2, senderMac: me, senderIp: HOST, targetMac: BCAST, targetIp: HOST }),
      // A's own address, but the ARP sender MAC is a rogue one (ether source is A's real MAC).
      arpFrame({ dst: BCAST, src: me, op: 2, senderMac: ROGUE_MAC, senderIp: a.network.ipv4, targetMac: BCAST, targetIp: a.network.ipv4 }),
      // The control: A's honest who-has for the host.
      arpFrame({ dst: BCAST, src: me, op: 1, senderMac: me, senderIp: a.network.ipv4, targetMac: '00:00:00:00:00:00', targetIp: HOST }),
    ];
    const { atHost, atB } = await volley(frames, `arp-control-${a.serverId}`);
    const count = (needle: string) => `host ${matching(atHost, needle).length}, B ${matching(atB, needle).length}`;
    const claimB = count(arpNeedle(me, b.network.ipv4));
    const claimHost = count(arpNeedle(me, HOST));
    const rogue = count(arpNeedle(ROGUE_MAC, a.network.ipv4));
    const honest = matching(atHost, arpNeedle(me, a.network.ipv4)).length;
    const neighAfter = (await run('ip', ['neigh', 'show', b.network.ipv4, 'dev', 'berth0'])).stdout.trim();
    report.checkAll([
      ['control: A\'s honest ARP who-has for the host', 'seen by the host', `host ${honest}`, honest > 0],
      [`ARP "${b.network.ipv4} is-at A's MAC" (unicast to host + broadcast)`, 'reaches neither host nor B', claimB, claimB === 'host 0, B 0'],
      [`gratuitous ARP "${HOST} (host) is-at A's MAC"`, 'reaches neither host nor B', claimHost, claimHost === 'host 0, B 0'],
      ['ARP with a rogue sender MAC for A\'s own address', 'reaches neither host nor B', rogue, rogue === 'host 0, B 0'],
      [`host neighbour entry for ${b.network.ipv4} afterwards`, 'never A\'s MAC', neighAfter || '(none)', !neighAfter.includes(me) && neighBefore.includes(me) === false],
    ]);
  });
});
