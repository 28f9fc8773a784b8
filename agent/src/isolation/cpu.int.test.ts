import { readdir, readFile } from 'node:fs/promises';
import type { TServerSpec } from '@berth/contracts';
import { afterAll, beforeAll, describe } from 'vitest';
import { createLab, templateMissing } from './lab.ts';
import { createReport } from './report.ts';

// CPU attacks against a 0.5-core plan: measured after start() returned, so after the boot boost ended.
const report = createReport('isolation attacks: cpu');
const PLAN = { cpuCores: 0.5, memoryMb: 512 };
const LOOP = "timeout 5 sh -c 'while :; do :; done'";
const BUSY = `{ ${LOOP} & ${LOOP} & wait; }`; // two spinning threads: more than the quota, less than the host

/** Host CPU time (ns) of every lxcfs process: it serves the VPS's /proc files outside the VPS's cgroup. */
const lxcfsCpuNs = async () => {
  let ticks = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (!stat.includes('(lxcfs)')) continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(f[11]) + Number(f[12]); // utime + stime
  }
  return ticks * 1e7; // USER_HZ is 100 on Linux x86_64
};

describe.skipIf(templateMissing)('cpu (real containers)', () => {
  const lab = createLab();
  let a: TServerSpec;
  const usage = async () => Number(await lab.cgroup(a, 'cpuacct.usage'));

  /**
   * Cores the VPS used while `cmd` ran inside: cpuacct delta from the host over the wall time measured
   * inside (an ssh handshake that stalls on a busy host does not dilute the figure).
   */
  const coresDuring = async (cmd: string) => {
    const u0 = await usage();
    const r = await lab.ssh(a, `s=$(date +%s%N); ${cmd}; e=$(date +%s%N); echo "wall=$((e - s))"`, { timeoutMs: 60_000 });
    const wall = Number(/wall=(\d+)/.exec(r.out)?.[1] ?? NaN);
    const cores = (await usage() - u0) / wall;
    return { cores, r: { ...r, out: r.out.replace(/wall=\d+\s*$/, '') } };
  };

  beforeAll(async () => {
    await lab.setup();
    a = await lab.boot(243, PLAN);
  }, 300_000);

  afterAll(async () => {
    await lab.teardown();
    report.print();
  }, 300_000);

  report.it('the boot boost is over when start() returns: the plan\'s quota applies', async () => {
    const quota = await lab.cgroup(a, 'cpu.cfs_quota_us');
    const period = await lab.cgroup(a, 'cpu.cfs_period_us');
    report.check('cpu.cfs_quota_us / period after start()', '50000 / 100000', `${quota} / ${period}`, quota === '50000' && period === '100000');
  });

  report.it('a busy loop gets the plan\'s 0.5 core, not the host\'s 2', async () => {
    const { cores } = await coresDuring(BUSY);
    report.check('2 spinning threads for 5 s (cpuacct / wall)', '0.4 - 0.6 core', `${cores.toFixed(3)} core`, cores >= 0.4 && cores <= 0.6);
  });

  report.it('/proc/cpuinfo (lxcfs) and nproc (the cpuset) show ceil(quota) cpus', async () => {
    const cpuinfo = (await lab.ssh(a, 'grep -c ^processor /proc/cpuinfo')).out.trim();
    const nproc = (await lab.ssh(a, 'nproc; getconf _NPROCESSORS_ONLN')).out.trim().split(/\s+/).join(' / ');
    report.check('/proc/cpuinfo processors inside', '1 (ceil 0.5)', cpuinfo, cpuinfo === '1');
    report.check('nproc / getconf _NPROCESSORS_ONLN inside', '1 / 1', nproc, nproc === '1 / 1');
  });

  report.it('the cpuset cannot be widened from inside', async () => {
    const r = await lab.ssh(a, 'taskset -pc 0-63 $$ >/dev/null 2>&1; nproc; echo 0-63 > /sys/fs/cgroup/cpuset/cpuset.cpus 2>&1; nproc');
    const out = r.out.trim().replace(/\s+/g, ' ');
    report.check('taskset 0-63 and a write to cpuset.cpus', 'still 1 cpu', out, /^1 .*1$/.test(out));
  });

  report.it('a child cpu cgroup (self-mounted hierarchy, quota -1) does not escape the quota', async () => {
    const escape = 'mkdir -p /root/cg && { mountpoint -q /root/cg || mount -t cgroup -o cpu none /root/cg; } && mkdir -p /root/cg/evil'
      + ' && echo -1 > /root/cg/evil/cpu.cfs_quota_us && echo $$ > /root/cg/evil/cgroup.procs && grep -E "^[0-9]+:cpu:" /proc/self/cgroup';
    const { cores, r } = await coresDuring(`${escape} && ${BUSY}`);
    const moved = r.out.trim();
    report.check('spin from child cpu cgroup /evil (quota -1)', 'moved, still <= 0.6 core', `${moved || r.err.trim()}; ${cores.toFixed(3)} core`,
      moved.endsWith(':cpu:/evil') && cores <= 0.6);
  });

  report.it('realtime scheduling (bypasses CFS quotas) is refused', async () => {
    const r = await lab.ssh(a, 'chrt -f 10 true 2>&1; echo "rc=$?"');
    const out = r.out.trim().replace(/\s+/g, ' ');
    report.check('chrt -f 10 (SCHED_FIFO)', 'EPERM', out, /not permitted/.test(out) && !out.endsWith('rc=0'));
  });

  report.it('hammering lxcfs-backed /proc files burns host CPU outside the VPS quota', async () => {
    // Four readers of /proc/stat for 4 s; each read is served by lxcfs, a host process in no VPS cgroup.
    const readers = `perl -e 'for (1..4) { fork or do { my $end = time + 4; while (time < $end) { open my $f, "<", "/proc/stat"; local $/; my $x = <$f>; close $f } exit } } 1 while wait != -1'`;
    const [l0, t0] = [await lxcfsCpuNs(), performance.now()];
    const { cores } = await coresDuring(readers);
    const lxcfs = (await lxcfsCpuNs() - l0) / ((performance.now() - t0) * 1e6);
    report.check('lxcfs CPU spent for a 0.5-core VPS reading /proc/stat', '< 0.25 core outside the VPS (half its quota)',
      `lxcfs ${lxcfs.toFixed(2)} core + VPS ${cores.toFixed(2)} core`, lxcfs < 0.25);
  });
});
