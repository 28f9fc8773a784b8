import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { TServerSpec } from '@berth/contracts';
import { afterAll, beforeAll, describe } from 'vitest';
import { createLab, SLOTS_B, templateMissing } from './lab.ts';
import { createReport } from './report.ts';
import { trySyscalls } from './syscalls.ts';

// Host-global state a VPS root might try to change from inside: the clock (one per machine: CAP_SYS_TIME
// is dropped) and the host and domain names (per UTS namespace: the VPS may rename itself, nothing else).
const report = createReport('isolation attacks: clock, hostname and domain name leaking out');
const wallMinusMono = () => Date.now() - performance.now();

describe.skipIf(templateMissing)('clock and names (real containers)', () => {
  const lab = createLab(SLOTS_B);
  let a: TServerSpec;
  let b: TServerSpec;

  beforeAll(async () => {
    await lab.setup();
    a = await lab.boot(240);
    b = await lab.boot(241);
  }, 300_000);

  afterAll(async () => {
    await lab.teardown();
    report.print();
  }, 300_000);

  report.it('set the clock: settimeofday, clock_settime, adjtimex, clock_adjtime, date -s', async () => {
    const drift0 = wallMinusMono();
    const r = await trySyscalls(lab, a, ['settimeofday', 'clock_settime', 'adjtimex', 'clock_adjtime']);
    for (const [name, v] of Object.entries(r)) report.check(`syscall ${name} (set) inside A`, 'EPERM', v, v === 'EPERM');
    // A whole hour forward: were it to pass, the host's clock would be an hour off (and the check below says so).
    const date = (await lab.ssh(a, 'date -s "+1 hour" 2>&1 >/dev/null; echo "rc=$?"')).out.trim().replace(/\s+/g, ' ');
    report.check('date -s "+1 hour" inside A', 'fails (Operation not permitted)', date, /not permitted/i.test(date) && !date.endsWith('rc=0'));
    const drift = wallMinusMono() - drift0;
    report.check('host wall clock vs its monotonic clock across the attacks', 'abs(jump) < 250 ms', `${drift.toFixed(0)} ms`, Math.abs(drift) < 250);
    const skew = async (s: TServerSpec) => {
      const t0 = Date.now();
      const ns = (await lab.ssh(s, 'date +%s%N')).out.trim();
      return Number(BigInt(ns) / 1_000_000n) - (t0 + Date.now()) / 2;
    };
    const [sa, sb] = [await skew(a), await skew(b)];
    report.check('clocks of A and B vs the host afterwards', 'within 1 s (one clock, unchanged)', `A ${sa.toFixed(0)} ms, B ${sb.toFixed(0)} ms`,
      Math.abs(sa) < 1000 && Math.abs(sb) < 1000);
  });

  report.it('rename: hostname and domainname inside change only the VPS', async () => {
    const [hostName, hostDomain] = [hostname(), (await readFile('/proc/sys/kernel/domainname', 'utf8')).trim()];
    const set = (await lab.ssh(a, 'hostname berth-evil-host 2>&1; echo "rc=$?"')).out.trim().replace(/\s+/g, ' ');
    const dom = await trySyscalls(lab, a, ['setdomainname']);
    const sysctl = (await lab.ssh(a, 'sysctl -w kernel.hostname=berth-evil-sysctl 2>&1; echo "rc=$?"')).out.trim().replace(/\s+/g, ' ');
    const inA = (await lab.ssh(a, 'echo "$(uname -n) $(cat /proc/sys/kernel/domainname)"')).out.trim();
    const inB = (await lab.ssh(b, 'echo "$(uname -n) $(cat /proc/sys/kernel/domainname)"')).out.trim();
    const hostAfter = `${hostname()} ${(await readFile('/proc/sys/kernel/domainname', 'utf8')).trim()}`;
    report.checkAll([
      ['sethostname + setdomainname inside A (its own UTS namespace)', 'allowed, A renamed', `hostname ${set}; setdomainname ${dom.setdomainname}; A: ${inA}`,
        set === 'rc=0' && dom.setdomainname === 'OK' && inA === 'berth-evil-host berth-evil-domain'],
      ['sysctl -w kernel.hostname inside A', 'fails (read-only /proc/sys) or A only', sysctl, !/berth-evil-sysctl/.test(hostAfter)],
      ['host name and domain name afterwards', `${hostName} ${hostDomain} (unchanged)`, hostAfter, hostAfter === `${hostName} ${hostDomain}`],
      ['neighbour B afterwards', `${b.hostname} (unchanged)`, inB, inB.split(' ')[0] === b.hostname && !inB.includes('berth-evil')],
    ]);
  });
});
