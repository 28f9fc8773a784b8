import { stat } from 'node:fs/promises';
import type { TServerSpec } from '@berth/contracts';
import { afterAll, beforeAll, describe } from 'vitest';
import { createLab, paths, templateMissing } from './lab.ts';
import { run } from '../exec/run.ts';
import { createReport } from './report.ts';

// Disk quota attacks: a 1 GiB VPS filling its disk next to a neighbour on the same pool.
const report = createReport('isolation attacks: disk quota');
const GiB = 1024 ** 3;
const gib = (b: number) => `${(b / GiB).toFixed(3)} GiB`;
const poolAvail = async () => Number((await run('df', ['-B1', '--output=avail', paths.pool])).stdout.trim().split('\n')[1]);
const poolInodesUsed = async () => Number((await run('df', ['--output=iused', paths.pool])).stdout.trim().split('\n')[1]);
// Empty files until the filesystem refuses one (perl: thousands a second; capped so a quota-less disk ends).
const INODE_FLOOD = `mkdir -p /root/inodes && cd /root/inodes && perl -e 'my $n = 0; while ($n < 2000000) { open(my $f, ">", "f$n") or do { print "$n $!\\n"; exit }; close $f; $n++ } print "$n capped\\n"'`;

describe.skipIf(templateMissing)('disk quota (real containers)', () => {
  const lab = createLab();
  let a: TServerSpec;
  let b: TServerSpec;
  let poolBefore = 0;

  beforeAll(async () => {
    await lab.setup();
    a = await lab.boot(243, { diskGb: 1 });
    b = await lab.boot(244);
    poolBefore = await poolAvail();
  }, 300_000);

  afterAll(async () => {
    await lab.teardown();
    report.print();
  }, 300_000);

  report.it('df inside shows the plan\'s size', async () => {
    const size = Number((await lab.ssh(a, 'df -B1 --output=size / | tail -1')).out.trim());
    report.check('df -B1 / inside a 1 GiB VPS', '1 GiB ±5%', gib(size), Math.abs(size - GiB) <= 0.05 * GiB);
  });

  report.it('writing past the plan gives ENOSPC', async () => {
    const r = await lab.ssh(a, 'dd if=/dev/zero of=/root/fill bs=1M count=1536 2>&1 | grep -m1 -o "No space left on device"; stat -c %s /root/fill', { timeoutMs: 120_000 });
    const [err, size] = r.out.trim().split('\n');
    report.check('dd 1.5 GiB into a 1 GiB disk', 'No space left on device, file < 1 GiB', `${err}; file ${gib(Number(size))}`,
      err === 'No space left on device' && Number(size) < GiB);
    const fa = (await lab.ssh(a, 'fallocate -l 2G /root/prealloc 2>&1; echo "rc=$?"')).out.trim().replace(/\s+/g, ' ');
    report.check('fallocate -l 2G on the full disk', 'No space left on device', fa, /No space left on device/.test(fa));
  });

  report.it('the host pool and the neighbour are untouched by the full disk', async () => {
    const img = await stat(paths.image(a.serverId));
    const used = img.blocks * 512;
    report.check('VPS image on the host (allocated / apparent)', '<= 1 GiB / = 1 GiB', `${gib(used)} / ${gib(img.size)}`, used <= GiB && img.size === GiB);
    const drop = poolBefore - (await poolAvail());
    report.check('pool space consumed by the fill', '<= 1.1 GiB (the plan, plus noise)', gib(drop), drop <= 1.1 * GiB);
    const nb = (await lab.ssh(b, 'dd if=/dev/zero of=/root/ok bs=1M count=32 conv=fsync 2>/dev/null && stat -c %s /root/ok')).out.trim();
    report.check('neighbour writes 32 MiB (fsync) meanwhile', '33554432 bytes written', nb || 'failed', nb === '33554432');
  });

  report.it('the attacker recovers its own disk by deleting the file', async () => {
    const r = await lab.ssh(a, 'rm -f /root/fill /root/prealloc && echo ok > /root/after && cat /root/after');
    report.check('rm + write again in the filled VPS', 'ok', r.out.trim() || r.err.trim(), r.out.trim() === 'ok');
  });

  report.it('inode flood: millions of empty files exhaust only the VPS\'s own inodes', async () => {
    const [inodes, poolUsed0] = [(await lab.ssh(a, 'df --output=itotal / | tail -1')).out.trim(), await poolInodesUsed()];
    const r = await lab.ssh(a, INODE_FLOOD, { timeoutMs: 240_000 });
    const [made, ...why] = r.out.trim().split(' ');
    const df = (await lab.ssh(a, 'df --output=iused,itotal,ipcent / | tail -1')).out.trim().replace(/\s+/g, ' ');
    report.check(`create empty files until refused (${inodes} inodes in the VPS)`, 'No space left on device near the VPS\'s inode count',
      `${made} files, then "${why.join(' ')}"; df -i inside: ${df}`, why.join(' ') === 'No space left on device' && Number(made) >= 0.9 * Number(inodes) - 20_000);
    const poolGrew = (await poolInodesUsed()) - poolUsed0;
    report.check('host pool inodes consumed by the flood', '< 100 (the VPS\'s disk is one image file)', String(poolGrew), poolGrew < 100);
    const nb = (await lab.ssh(b, 'mkdir -p /root/many && cd /root/many && for i in $(seq 1 500); do : > f$i; done && ls | wc -l')).out.trim();
    report.check('neighbour creates 500 files meanwhile', '500', nb || 'failed', nb === '500');
    const back = (await lab.ssh(a, 'rm -rf /root/inodes && : > /root/after-inodes && echo ok', { timeoutMs: 240_000 })).out.trim();
    report.check('attacker deletes its files and creates one again', 'ok', back || 'failed', back === 'ok');
  });
});
