import { readFile } from 'node:fs/promises';
import type { TServerSpec } from '@berth/contracts';
import { afterAll, beforeAll, describe } from 'vitest';
import { createLab, MiB, sleep, templateMissing } from './lab.ts';
import { createReport } from './report.ts';

// Memory and process-count attacks: the VPS may hurt itself, never the host or its neighbour.
const report = createReport('isolation attacks: memory and pids');
const PLAN = { memoryMb: 256, swapMb: 0, pidsMax: 100, cpuCores: 1 };
// Allocate 600 MiB in one perl string (python is not in the template).
const HOG = `perl -e '$x = "a" x (600*1024*1024); print "survived\\n"'`;
// The whole process group dies at 8 s (timeout signals its group); the sleep keeps the group's leader alive.
const BOMB = `timeout -s KILL 8 bash -c 'sleep 9 & s=$!; b(){ b|b& }; b; wait $s' >/dev/null 2>&1 </dev/null`;

// Loopback TCP pairs whose receiver never reads: each write parks kernel socket buffers (skbs), not
// process memory. Stops at 600 MiB queued (well under this host's tcp_mem, so no host-wide pressure).
const SOCKET_HOG = String.raw`
use strict; use Socket; use IO::Socket::INET; use Fcntl;
my $l = IO::Socket::INET->new(Listen => 4096, LocalAddr => '127.0.0.1', LocalPort => 0) or die "listen $!";
my (@keep, $total); my $chunk = "x" x 65536;
while ($total < 600 << 20 && @keep < 8000) {
  my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $l->sockport) or last;
  my $s = $l->accept or last;
  setsockopt($s, SOL_SOCKET, SO_RCVBUF, pack('i', 4 << 20));
  setsockopt($c, SOL_SOCKET, SO_SNDBUF, pack('i', 4 << 20));
  fcntl($c, F_SETFL, fcntl($c, F_GETFL, 0) | O_NONBLOCK);
  while (1) { my $w = syswrite($c, $chunk); last unless $w; $total += $w }
  push @keep, $c, $s;
}
$| = 1; printf "queued %d MiB in %d sockets
", $total >> 20, scalar @keep; sleep 3;
`;
/** Kernel memory held by TCP socket buffers, host-wide (pages in /proc/net/sockstat). */
const tcpMemBytes = async () => Number(/^TCP:.* mem (\d+)/m.exec(await readFile('/proc/net/sockstat', 'utf8'))?.[1] ?? 0) * 4096;

describe.skipIf(templateMissing)('memory and pids (real containers)', () => {
  const lab = createLab();
  let a: TServerSpec; // the attacker
  let b: TServerSpec; // its neighbour
  let c: TServerSpec; // a second attacker for the attack that may take its own VPS down
  const alive = async (s: TServerSpec) => (await lab.ssh(s, 'systemctl is-system-running')).out.trim();
  const readNum = async (file: string) => Number((await readFile(file, 'utf8')).trim().split(/\s+/).pop());

  /** Poll a cgroup file of `spec` while `attack` runs; returns its output and the largest value seen. */
  const watch = async (spec: TServerSpec, controller: string, file: string, attack: () => Promise<string>) => {
    const path = lab.cgroupFile(spec, controller, file);
    let max = 0;
    let done = false;
    const poll = (async () => {
      while (!done) {
        max = Math.max(max, await readNum(path).catch(() => 0));
        await sleep(50);
      }
    })();
    const out = await attack().finally(() => (done = true));
    await poll;
    return { out, max };
  };

  beforeAll(async () => {
    await lab.setup();
    a = await lab.boot(243, PLAN);
    b = await lab.boot(244);
    c = await lab.boot(245, PLAN);
  }, 300_000);

  afterAll(async () => {
    await lab.teardown();
    report.print();
  }, 300_000);

  report.it('lxcfs: free and /proc/meminfo show the plan, not the host', async () => {
    const free = (await lab.ssh(a, "free -m | awk '/^Mem:/{print $2} /^Swap:/{print $2}'")).out.trim().split('\n');
    const mem = (await lab.ssh(a, 'grep -E "^(MemTotal|SwapTotal):" /proc/meminfo')).out.replace(/\s+/g, ' ').trim();
    report.check('free -m inside (Mem, Swap)', `${PLAN.memoryMb}, 0`, free.join(', '), free[0] === String(PLAN.memoryMb) && free[1] === '0');
    report.check('/proc/meminfo inside', `MemTotal: ${PLAN.memoryMb * 1024} kB SwapTotal: 0 kB`, mem, mem === `MemTotal: ${PLAN.memoryMb * 1024} kB SwapTotal: 0 kB`);
  });

  report.it('allocating past the plan is OOM-killed inside; the VPS stays up', async () => {
    const { out, max } = await watch(a, 'memory', 'memory.max_usage_in_bytes', async () => {
      const r = await lab.ssh(a, `${HOG}; echo "rc=$?"`, { timeoutMs: 60_000 });
      return r.out.trim().replace(/\s+/g, ' ');
    });
    report.check('allocate 600 MiB in a 256 MiB VPS', 'killed (rc=137), no "survived"', out, out === 'rc=137');
    report.check('VPS memory peak (host memory.max_usage_in_bytes)', `<= ${PLAN.memoryMb} MiB`, `${(max / MiB).toFixed(1)} MiB`, max > 0 && max <= PLAN.memoryMb * MiB);
    const state = await alive(a);
    report.check('VPS after the OOM kill (ssh + systemctl is-system-running)', 'running or degraded', state || 'ssh failed', ['running', 'degraded'].includes(state));
  });

  report.it('a child memory cgroup does not escape the plan', async () => {
    // The VPS's memory directory belongs to the host (child groups would escape the kmem.tcp limit), so
    // the move should be refused; either way the allocation must die at the plan's limit.
    const escape = '{ mkdir -p /sys/fs/cgroup/memory/evil && echo $$ > /sys/fs/cgroup/memory/evil/cgroup.procs; } 2>/dev/null; grep memory /proc/self/cgroup';
    const { out, max } = await watch(a, 'memory', 'memory.max_usage_in_bytes', async () =>
      (await lab.ssh(a, `${escape}; ${HOG}; echo "rc=$?"`, { timeoutMs: 60_000 })).out.trim().replace(/\s+/g, ' '));
    report.check('allocate 600 MiB after trying a child memory cgroup', 'child refused or killed there (rc=137)', out, / rc=137$/.test(out));
    report.check('VPS memory peak with the child cgroup', `<= ${PLAN.memoryMb} MiB`, `${(max / MiB).toFixed(1)} MiB`, max <= PLAN.memoryMb * MiB);
    const state = await alive(a);
    report.check('VPS after the child-cgroup OOM', 'running or degraded', state || 'ssh failed', ['running', 'degraded'].includes(state));
  });

  report.it('fork bomb is bounded by pids.max; the VPS and the host recover', async () => {
    const pidsFile = (f: string) => lab.cgroupFile(a, 'pids', f);
    const baseline = await readNum(pidsFile('pids.current'));
    let neighbour = '';
    // Out of systemd's session TasksMax first (to the VPS's cgroup root): the plan's pids.max is what must hold.
    const { out, max } = await watch(a, 'pids', 'pids.current', async () => {
      const bomb = lab.ssh(a, `echo $$ > /sys/fs/cgroup/pids/cgroup.procs; ${BOMB}; echo "rc=$?"`, { timeoutMs: 60_000 });
      await sleep(3000);
      neighbour = (await lab.ssh(b, 'echo alive')).out.trim(); // the neighbour during the bomb
      return (await bomb).out.trim();
    });
    const peak = await readNum(pidsFile('pids.peak'));
    const events = await readNum(pidsFile('pids.events'));
    report.check('fork bomb: pids.current while it ran (polled) / pids.peak', `<= ${PLAN.pidsMax}, limit hit`,
      `polled max ${max}, peak ${peak}, fork refusals ${events}`, max <= PLAN.pidsMax && peak <= PLAN.pidsMax && events > 0);
    report.check('neighbour ssh during the fork bomb', 'alive', neighbour || 'ssh failed', neighbour === 'alive');
    report.check('bomb ended by its timeout', 'rc=137 (SIGKILL to the group)', out, out === 'rc=137');

    let state = '';
    for (let i = 0; i < 20 && !['running', 'degraded'].includes(state); i++) state = await alive(a).catch(() => '');
    const after = await readNum(pidsFile('pids.current'));
    report.check('VPS after the fork bomb (ssh + is-system-running, pids.current)', `running, pids back to ~${baseline}`,
      `${state || 'ssh failed'}, pids ${after}`, ['running', 'degraded'].includes(state) && after <= baseline + 5);
    // Host load recovers: the VPS burns no CPU any more (the 1-min loadavg itself decays over minutes).
    const usage = () => lab.cgroup(a, 'cpuacct.usage').then(Number);
    const [u0, t0] = [await usage(), performance.now()];
    await sleep(2000);
    const cores = (await usage() - u0) / ((performance.now() - t0) * 1e6);
    const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
    report.check('VPS CPU after the bomb (cpuacct, 2 s)', '< 0.05 core', `${cores.toFixed(3)} core (host loadavg ${load})`, cores < 0.05);
  });

  report.it('fork bomb from a child pids cgroup with pids.max=max is still bounded', async () => {
    const escape = 'mkdir -p /sys/fs/cgroup/pids/evil && echo max > /sys/fs/cgroup/pids/evil/pids.max && echo $$ > /sys/fs/cgroup/pids/evil/cgroup.procs';
    const { max } = await watch(a, 'pids', 'pids.current', async () => (await lab.ssh(a, `${escape}; ${BOMB}; echo "rc=$?"`, { timeoutMs: 60_000 })).out);
    const child = (await lab.attach(a, 'cat /sys/fs/cgroup/pids/evil/pids.max')).out.trim();
    report.check('fork bomb in child cgroup (pids.max=max)', `VPS total <= ${PLAN.pidsMax}`, `child pids.max ${child}, VPS polled max ${max}`, max <= PLAN.pidsMax);
    let state = '';
    for (let i = 0; i < 20 && !['running', 'degraded'].includes(state); i++) state = await alive(a).catch(() => '');
    report.check('VPS after the child-cgroup bomb', 'running or degraded', state || 'ssh failed', ['running', 'degraded'].includes(state));
  });

  report.it('TCP socket buffers are bounded by the plan\'s memory', async () => {
    const before = await tcpMemBytes();
    let peak = before;
    let usage = 0;
    let done = false;
    const poll = (async () => {
      for (; !done; await sleep(100)) {
        peak = Math.max(peak, await tcpMemBytes());
        usage = Math.max(usage, await readNum(lab.cgroupFile(a, 'memory', 'memory.usage_in_bytes')).catch(() => 0));
      }
    })();
    const r = await lab.ssh(a, 'ulimit -n 20000; perl -', { input: SOCKET_HOG, timeoutMs: 120_000 }).finally(() => (done = true));
    await poll;
    const held = peak - before;
    report.check('park 600 MiB in loopback TCP buffers (256 MiB VPS)', `host TCP memory grows <= ${PLAN.memoryMb} MiB`,
      `${r.out.trim() || r.err.trim()}; host TCP mem +${(held / MiB).toFixed(0)} MiB; VPS memcg ${(usage / MiB).toFixed(0)} MiB`,
      held <= PLAN.memoryMb * MiB);
  });

  report.it('filling tmpfs (/dev/shm) is charged to the VPS memory, not the host', async () => {
    // tmpfs pages cannot be reclaimed without swap: the OOM killer may take the attacker's whole VPS down
    // (its own systemd included), which is its own business: the bound and the neighbour are what count.
    const { out, max } = await watch(c, 'memory', 'memory.max_usage_in_bytes', async () => {
      const r = await lab.ssh(c, 'head -c 600M /dev/zero > /dev/shm/fill; echo "rc=$?"', { timeoutMs: 60_000, raw: true });
      return r.out.trim() || `session killed (${r.err.trim().split('\n').pop()})`;
    });
    report.check('write 600 MiB to /dev/shm in a 256 MiB VPS', `stopped at <= ${PLAN.memoryMb} MiB`,
      `${(max / MiB).toFixed(1)} MiB peak; writer: ${out}; attacker VPS now ${await lab.state(c)}`, max > 0 && max <= PLAN.memoryMb * MiB);
    const state = await alive(b);
    report.check('neighbour after the tmpfs attack', 'running', state || 'ssh failed', ['running', 'degraded'].includes(state));
  });
});
