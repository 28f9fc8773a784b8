import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createLxcDriver } from './agent/src/driver/lxc/lxc-driver.ts';
import { testSpec } from './agent/src/driver/lxc/test-spec.ts';
import { waitSsh } from './bench/ssh-probe.ts';
const d = createLxcDriver({ dataDir: '/var/lib/berth', lxcPath: '/var/lib/berth/lxc' });
execFileSync('bash', ['-c', 'test -f /tmp/tk || ssh-keygen -q -t ed25519 -N "" -f /tmp/tk']);
for (let i = 0; i < 3; i++) {
  const spec = testSpec(240 + i, { access: { sshKeys: [readFileSync('/tmp/tk.pub', 'utf8').trim()], rootPasswordHash: null },
    limits: { cpuCores: 0.5, cpuWeight: 50, memoryMb: 512, swapMb: 256, diskGb: 5, ioReadBps: 50e6, ioWriteBps: 50e6, ioReadIops: 2000, ioWriteIops: 2000, pidsMax: 512 } });
  const t0 = performance.now();
  await d.create(spec);
  const t1 = performance.now();
  await d.start(spec);
  const t2 = performance.now();
  await waitSsh(spec.network.ipv4, '/tmp/tk');
  const t3 = performance.now();
  console.log(`create ${(t1 - t0).toFixed(0)} ms, start-to-ready ${(t2 - t1).toFixed(0)} ms, ssh probe ${(t3 - t2).toFixed(0)} ms`);
  await d.destroy(spec);
}
