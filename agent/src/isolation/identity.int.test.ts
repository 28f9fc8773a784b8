import { readdir, readFile, readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { TServerSpec } from '@berth/contracts';
import { afterAll, beforeAll, describe } from 'vitest';
import { createLab, templateMissing } from './lab.ts';
import { createReport } from './report.ts';

// Who a VPS's root really is on the host, and what it can see of the host and of its neighbour.
const report = createReport('isolation attacks: identity and namespaces');

/** Host pids whose user namespace is `userns`, with their real/effective/saved/fs uids. */
const processesIn = async (userns: string) => {
  const out: { pid: number; uids: number[] }[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ns = await readlink(`/proc/${name}/ns/user`).catch(() => '');
    if (ns !== userns) continue;
    const status = await readFile(`/proc/${name}/status`, 'utf8').catch(() => '');
    const uids = /^Uid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/).map(Number);
    if (uids) out.push({ pid: Number(name), uids });
  }
  return out;
};

describe.skipIf(templateMissing)('identity and namespaces (real containers)', () => {
  const lab = createLab();
  let a: TServerSpec;
  let b: TServerSpec;

  beforeAll(async () => {
    await lab.setup();
    a = await lab.boot(243);
    b = await lab.boot(244);
  }, 300_000);

  afterAll(async () => {
    await lab.teardown();
    report.print();
  }, 300_000);

  report.it('uid map: VPS root is its own unprivileged host range, distinct from the neighbour', async () => {
    const mapOf = async (s: TServerSpec, file: string) => (await lab.ssh(s, `cat /proc/self/${file}`)).out.trim().split(/\s+/).join(' ');
    const [ua, ga, ub] = [await mapOf(a, 'uid_map'), await mapOf(a, 'gid_map'), await mapOf(b, 'uid_map')];
    const want = `0 ${a.idmap.uidBase} 65536`;
    report.check('uid_map inside VPS A', want, ua, ua === want);
    report.check('gid_map inside VPS A', want, ga, ga === want);
    const disjoint = Math.abs(a.idmap.uidBase - b.idmap.uidBase) >= 65536;
    report.check('neighbour B has its own, disjoint range', `0 ${b.idmap.uidBase} 65536, no overlap`, ub, ub === `0 ${b.idmap.uidBase} 65536` && disjoint);
  });

  report.it('uid map: every process of the VPS runs as a host uid of its own range (never host root)', async () => {
    await lab.ssh(a, 'nohup sleep 60 >/dev/null 2>&1 &'); // a user process besides systemd's own
    const initPid = await lab.initPid(a);
    const userns = await readlink(`/proc/${initPid}/ns/user`);
    const procs = await processesIn(userns);
    const uids = procs.flatMap((p) => p.uids);
    const inRange = uids.every((u) => u >= a.idmap.uidBase && u < a.idmap.uidBase + 65536);
    const observed = `${procs.length} processes, host uids ${Math.min(...uids)}..${Math.max(...uids)}`;
    report.check('host view of VPS A processes (/proc/<pid>/status Uid)', `all in ${a.idmap.uidBase}..+65535`, observed, procs.length >= 5 && inRange);
    const initUid = procs.find((p) => p.pid === initPid)?.uids[0];
    report.check('host uid of VPS A init (systemd)', String(a.idmap.uidBase), String(initUid), initUid === a.idmap.uidBase);
  });

  report.it('pid namespace: host processes and the neighbour are invisible', async () => {
    const comms = (await lab.ssh(a, 'cat /proc/[0-9]*/comm 2>/dev/null')).out.split('\n').filter(Boolean);
    const hostOnly = comms.filter((c) => /^(lxcfs|node|redis-server|postgres|lxc-start|\[lxc monitor\].*)$/.test(c));
    const sshds = comms.filter((c) => c === 'sshd').length;
    report.check('list host processes from VPS A (/proc)', 'no lxcfs/node/redis/postgres/lxc monitor', `${comms.length} visible, host-only: ${hostOnly.join(',') || 'none'}`, hostOnly.length === 0);
    // A sees its own sshd (listener + this session), never B's.
    report.check('see the neighbour\'s processes', 'only A\'s own sshd (<=3)', `${sshds} sshd`, sshds <= 3);
  });

  report.it('uts namespace: renaming the VPS changes only the VPS', async () => {
    const r = await lab.ssh(a, 'hostname evil-host && hostname');
    const hostAfter = hostname();
    const bName = (await lab.ssh(b, 'hostname')).out.trim();
    report.check('sethostname inside VPS A', 'A renamed; host and B unchanged', `A=${r.out.trim()} host=${hostAfter} B=${bName}`,
      r.out.trim() === 'evil-host' && hostAfter !== 'evil-host' && bName === b.hostname);
  });

  report.it('keyrings: a key added in one VPS is not visible in the neighbour', async () => {
    // add_key(2) through perl's syscall(): keyutils is not in the template.
    const add = await lab.ssh(a, 'perl -e \'my ($t, $d, $p) = ("user", "berth-probe", "s3cret"); my $r = syscall(248, $t, $d, $p, 6, -4); print $r == -1 ? "ERR $!" : "KEY $r"\'');
    const inA = (await lab.ssh(a, 'cat /proc/keys')).out;
    const inB = (await lab.ssh(b, 'cat /proc/keys; cat /proc/key-users')).out;
    const observed = `add_key in A: ${add.out.trim()}; in A's /proc/keys: ${inA.includes('berth-probe')}; in B's: ${inB.includes('berth-probe')}`;
    const blocked = add.out.startsWith('ERR');
    report.check('kernel keyring shared between VPSes', 'A\'s key invisible in B (or add_key blocked)', observed, blocked || (inA.includes('berth-probe') && !inB.includes('berth-probe')));
  });
});
