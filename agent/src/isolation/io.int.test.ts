import type { TServerSpec } from '@berth/contracts';
import { afterAll, beforeAll, describe } from 'vitest';
import { createLab, MiB, templateMissing } from './lab.ts';
import { createReport } from './report.ts';

// Disk bandwidth attacks against a 20 MiB/s, 100 write-IOPS plan (cgroup v1 blkio on the VPS's loop device).
const report = createReport('isolation attacks: block IO');
const BPS = 20 * MiB;
const IOPS = 100;
const PLAN = { ioWriteBps: BPS, ioReadBps: BPS, ioWriteIops: IOPS, memoryMb: 1024 };
const mb = (bps: number) => `${(bps / MiB).toFixed(1)} MiB/s`;

/** Bytes per second from dd's summary line: "41943040 bytes (42 MB, 40 MiB) copied, 1.95 s, 21.5 MB/s". */
const ddRate = (stderr: string) => {
  const m = /(\d+) bytes .* copied, ([\d.]+) s/.exec(stderr);
  if (!m) throw new Error(`no dd summary in: ${stderr.trim().slice(-300)}`);
  return Number(m[1]) / Number(m[2]);
};

describe.skipIf(templateMissing)('block IO (real containers)', () => {
  const lab = createLab();
  let a: TServerSpec;
  const dd = async (args: string, prefix = '') => {
    const r = await lab.ssh(a, `${prefix}dd ${args} 2>&1 >/dev/null | tail -1`, { timeoutMs: 120_000 });
    return ddRate(r.out);
  };
  const near = (rate: number, want: number) => rate >= 0.7 * want && rate <= 1.3 * want;

  beforeAll(async () => {
    await lab.setup();
    a = await lab.boot(243, PLAN);
  }, 300_000);

  afterAll(async () => {
    await lab.teardown();
    report.print();
  }, 300_000);

  report.it('the boot boost is over when start() returns: the plan\'s throttles apply', async () => {
    const dev = await lab.device(a);
    const keys = ['write_bps_device', 'read_bps_device', 'write_iops_device'];
    const got = await Promise.all(keys.map((k) => lab.cgroup(a, `blkio.throttle.${k}`)));
    const want = [`${dev} ${BPS}`, `${dev} ${BPS}`, `${dev} ${IOPS}`];
    report.check('blkio throttles after start()', want.join(', '), got.join(', '), got.join() === want.join());
  });

  report.it('O_DIRECT write is held to the plan\'s bps', async () => {
    const rate = await dd('if=/dev/zero of=/root/direct bs=1M count=60 oflag=direct');
    report.check('dd oflag=direct 60 MiB', `${mb(BPS)} (±30%)`, mb(rate), near(rate, BPS));
  });

  report.it('O_DIRECT read is held to the plan\'s bps', async () => {
    const rate = await dd('if=/root/direct of=/dev/null bs=1M iflag=direct');
    report.check('dd iflag=direct 60 MiB', `${mb(BPS)} (±30%)`, mb(rate), near(rate, BPS));
  });

  report.it('small synchronous writes are held to the plan\'s IOPS', async () => {
    const rate = await dd('if=/dev/zero of=/root/iops bs=4k count=300 oflag=direct');
    const iops = rate / 4096;
    report.check('dd bs=4k oflag=direct x300', `${IOPS} IOPS (±30%)`, `${iops.toFixed(0)} IOPS`, near(iops, IOPS));
  });

  report.it('fsync\'d buffered writes are held to the plan\'s bps', async () => {
    const rate = await dd('if=/dev/zero of=/root/fsync bs=1M count=60 conv=fsync');
    report.check('dd conv=fsync 60 MiB', `${mb(BPS)} (±30%)`, mb(rate), near(rate, BPS));
  });

  report.it('KNOWN GAP: buffered writes flushed by writeback are not throttled (cgroup v1 blkio)', async () => {
    // The flusher threads write the page cache back from the root cgroup: v1 cannot attribute it.
    const r = await lab.ssh(a, 's=$(date +%s%N); dd if=/dev/zero of=/root/buffered bs=1M count=150 2>/dev/null; sync; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))');
    const rate = (150 * MiB) / (Number(r.out.trim()) / 1000);
    report.check('buffered dd 150 MiB + sync', `> 2x ${mb(BPS)} (not throttled, documented)`, mb(rate), rate > 2 * BPS, 'KNOWN GAP');
  });

  report.it('a child blkio cgroup does not escape the plan\'s throttle', async () => {
    // blk-throttle on cgroup v1 is flat: a child group is not limited by its parent's throttle.
    // The attempt may be refused (it should be): the IO runs wherever the shell ends up.
    const escape = '{ mkdir -p /sys/fs/cgroup/blkio/evil && echo $$ > /sys/fs/cgroup/blkio/evil/cgroup.procs; } 2>/dev/null; ';
    const where = (await lab.ssh(a, `${escape}grep blkio /proc/self/cgroup`)).out.trim();
    const write = await dd('if=/dev/zero of=/root/evil bs=1M count=200 oflag=direct', escape);
    const read = await dd('if=/root/evil of=/dev/null bs=1M iflag=direct', escape);
    report.checkAll([
      ['O_DIRECT write from a child blkio cgroup', `<= ${mb(1.3 * BPS)}`, `${where}: ${mb(write)}`, write <= 1.3 * BPS],
      ['O_DIRECT read from a child blkio cgroup', `<= ${mb(1.3 * BPS)}`, `${where}: ${mb(read)}`, read <= 1.3 * BPS],
    ]);
  });
});
