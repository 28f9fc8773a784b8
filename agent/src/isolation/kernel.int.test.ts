import { readFile } from 'node:fs/promises';
import type { TServerSpec } from '@berth/contracts';
import { afterAll, beforeAll, describe } from 'vitest';
import { createLab, MiB, templateMissing } from './lab.ts';
import { createReport } from './report.ts';
import { trySyscalls } from './syscalls.ts';

// A hostile VPS root going after the kernel, devices and its own cgroup limits.
const report = createReport('isolation attacks: kernel, devices and cgroup files');
const DEVICES = ['c *:* m', 'b *:* m', 'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm', 'c 5:0 rwm',
  'c 5:1 rwm', 'c 5:2 rwm', 'c 136:* rwm', 'c 10:229 rwm'];

describe.skipIf(templateMissing)('kernel and devices (real containers)', () => {
  const lab = createLab();
  let a: TServerSpec;
  // "<message> rc=<exit code>" of a shell snippet run as root in A (errors folded into the output).
  const tryIn = async (cmd: string) => {
    const r = await lab.ssh(a, `{ ${cmd} ; } 2>&1; echo " rc=$?"`);
    return r.out.replace(/\s+/g, ' ').trim();
  };
  const failed = (o: string) => !/ rc=0$/.test(o);
  // Open for writing without writing a byte: even if the open succeeded, the host knob would be unchanged.
  const openForWrite = (file: string) => tryIn(`sh -c 'exec 3>>${file}'`);

  beforeAll(async () => {
    await lab.setup();
    a = await lab.boot(243, { memoryMb: 256, pidsMax: 200, ioWriteBps: 20 * MiB, ioReadBps: 20 * MiB });
  }, 300_000);

  afterAll(async () => {
    await lab.teardown();
    report.print();
  }, 300_000);

  report.it('load a kernel module (init_module, finit_module, delete_module)', async () => {
    const r = await trySyscalls(lab, a, ['init_module', 'finit_module', 'delete_module']);
    const observed = Object.entries(r).map(([k, v]) => `${k}=${v}`).join(' ');
    report.check('load/unload a kernel module', 'EPERM for all three', observed, Object.values(r).every((v) => v === 'EPERM'));
  });

  report.it('kernel attack surface: kexec_load, open_by_handle_at (shocker), bpf, userfaultfd, the host clock', async () => {
    const r = await trySyscalls(lab, a, ['kexec_load', 'open_by_handle_at', 'bpf', 'userfaultfd', 'settimeofday']);
    for (const [name, v] of Object.entries(r)) report.check(`syscall ${name}`, 'EPERM', v, v === 'EPERM');
  });

  report.it('mknod a host disk and open it', async () => {
    const blk = await tryIn('mknod /root/sda b 8 0 && head -c1 /root/sda >/dev/null');
    report.check('mknod /root/sda b 8 0 (+ read it)', 'fails (EPERM)', blk, failed(blk) && /not permitted/i.test(blk));
    const mem = await tryIn('mknod /dev/mem2 c 1 1 && head -c1 /dev/mem2 >/dev/null');
    report.check('mknod /dev/mem2 c 1 1 (host RAM)', 'fails (EPERM)', mem, failed(mem));
  });

  report.it('read the host\'s block devices', async () => {
    const nodes = (await lab.ssh(a, 'ls /dev')).out.split('\n').filter((n) => /^(sd|vd|xvd|nvme|loop|dm-|md|mapper|fuse|mem|kmem|port)/.test(n));
    const read = await tryIn('head -c1 /dev/loop0 >/dev/null && head -c1 /dev/vda >/dev/null');
    report.check('block/memory device nodes in /dev', 'none', nodes.join(',') || 'none', nodes.length === 0);
    report.check('read /dev/loop0, /dev/vda', 'fails', read, failed(read));
  });

  report.it('mount a block device or a filesystem image', async () => {
    const loop = await tryIn('truncate -s 16M /root/img && mkfs.ext4 -qF /root/img && mount -o loop /root/img /mnt');
    report.check('mount -o loop an ext4 image', 'fails (no loop device, EPERM)', loop, failed(loop));
    const ext4 = await tryIn('mount -t ext4 /root/img /mnt');
    report.check('mount -t ext4 a file (no block device)', 'fails', ext4, failed(ext4));
  });

  report.it('write host-global kernel knobs through /proc', async () => {
    const hostCore = await readFile('/proc/sys/kernel/core_pattern', 'utf8');
    for (const f of ['/proc/sys/kernel/core_pattern', '/proc/sys/vm/drop_caches', '/proc/sys/kernel/panic', '/proc/sys/kernel/hostname']) {
      const o = await openForWrite(f);
      report.check(`open ${f} for writing`, 'fails (read-only /proc/sys)', o, failed(o));
    }
    report.check('host core_pattern afterwards', 'unchanged', (await readFile('/proc/sys/kernel/core_pattern', 'utf8')).trim(),
      (await readFile('/proc/sys/kernel/core_pattern', 'utf8')) === hostCore);
    const dmesg = await tryIn('dmesg | head -1');
    report.check('read the host kernel log (dmesg)', 'fails (EPERM)', dmesg, /not permitted/i.test(dmesg));
  });

  report.it('/sys is read-only and cannot be remounted', async () => {
    const touch = await tryIn('touch /sys/kernel/x');
    report.check('touch /sys/kernel/x', 'fails (read-only)', touch, failed(touch));
    const remount = await tryIn('mount -o remount,rw /sys');
    report.check('mount -o remount,rw /sys', 'fails', remount, failed(remount));
    const fuse = (await lab.ssh(a, 'ls -A /sys/fs/fuse/connections')).out.trim();
    report.check('abort lxcfs via /sys/fs/fuse/connections', 'no connections visible', fuse || 'empty', fuse === '');
  });

  report.it('seccomp filter on the VPS init', async () => {
    const status = (await lab.ssh(a, 'grep ^Seccomp: /proc/1/status')).out.trim().replace(/\s+/g, ' ');
    report.check('/proc/1/status Seccomp inside', 'Seccomp: 2 (filter)', status, status === 'Seccomp: 2');
  });

  report.it('devices cgroup: only pseudo-devices, and it cannot be widened from inside', async () => {
    const list = (await lab.ssh(a, 'cat /sys/fs/cgroup/devices/devices.list')).out.trim().split('\n');
    report.check('devices.list inside', 'the 12-entry allow-list, no "a *:* rwm"', list.join('; '), list.join('\n') === DEVICES.join('\n'));
    const widen = await tryIn('echo a > /sys/fs/cgroup/devices/devices.allow');
    report.check('echo a > devices.allow', 'fails', widen, failed(widen));
    const child = await tryIn('mkdir -p /sys/fs/cgroup/devices/evil && echo a > /sys/fs/cgroup/devices/evil/devices.allow');
    report.check('widen devices in a child cgroup', 'fails', child, failed(child));
  });

  report.it('CVE-2022-0492: set a cgroup v1 release_agent (runs as host root)', async () => {
    // Mount every hierarchy (and a new named one) at the VPS's cgroup namespace root and look for a
    // writable release_agent. If one were writable, its current value is written back: a no-op on the host.
    const probe = `for c in memory pids blkio devices cpu cpuacct freezer cpuset none,name=systemd none,name=berthx; do
      d=/root/ra-$(echo $c | tr ',=' '__'); mkdir -p $d
      if mount -t cgroup -o $c none $d 2>/dev/null; then
        if [ -e $d/release_agent ] && v=$(cat $d/release_agent) && echo "$v" > $d/release_agent 2>/dev/null; then echo "$c=WRITABLE";
        else echo "$c=mounted"; fi
        umount $d
      else echo "$c=refused"; fi
    done`;
    const out = (await lab.ssh(a, probe)).out.trim().split('\n');
    const writable = out.filter((l) => l.endsWith('=WRITABLE'));
    report.check('write release_agent in any self-mounted hierarchy', 'none writable (new named hierarchy refused)', out.join(' '),
      out.length === 10 && writable.length === 0 && out.includes('none,name=berthx=refused'));
  });

  report.it('raise its own limits through the cgroup files', async () => {
    const before = await Promise.all(['memory.limit_in_bytes', 'pids.max', 'blkio.throttle.write_bps_device'].map((k) => lab.cgroup(a, k)));
    const tries: [string, string][] = [
      ['memory.limit_in_bytes = -1', 'echo -1 > /sys/fs/cgroup/memory/memory.limit_in_bytes'],
      ['memory.memsw.limit_in_bytes = -1', 'echo -1 > /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes'],
      ['pids.max = max', 'echo max > /sys/fs/cgroup/pids/pids.max'],
      ['blkio write_bps = 0 (unlimited)', `echo "${await lab.device(a)} 0" > /sys/fs/cgroup/blkio/blkio.throttle.write_bps_device`],
      // cpu is not mounted in the VPS, but root may mount the hierarchy itself (cgroup namespace root).
      ['cpu.cfs_quota_us = -1 (self-mounted cpu hierarchy)', 'mkdir -p /root/cg && mount -t cgroup -o cpu none /root/cg && echo -1 > /root/cg/cpu.cfs_quota_us'],
      ['cpu.shares = 262144', 'echo 262144 > /root/cg/cpu.shares'],
    ];
    for (const [what, cmd] of tries) {
      const o = await tryIn(cmd);
      report.check(`set ${what} from inside`, 'fails', o, failed(o));
    }
    const after = await Promise.all(['memory.limit_in_bytes', 'pids.max', 'blkio.throttle.write_bps_device'].map((k) => lab.cgroup(a, k)));
    after.push(await lab.cgroup(a, 'cpu.cfs_quota_us'));
    report.check('host-side limits afterwards', 'unchanged', after.join(', '), after.slice(0, 3).join() === before.join() && after[3] === '100000');
  });
});
