// npm run bench:overhead — a CPU-bound job (sha256 of 1.5 GiB of zeros, single thread) inside a VPS vs on
// the host, same binary version (Debian 12 coreutils on both), median of 5 runs each, interleaved.
// Prints the ratio host_time / vps_time (1.00 = no overhead; target >= 0.98).
import { execFileSync } from 'node:child_process';
import { loadEnv, ZAgentEnv } from '@berth/config';
import { createLxcDriver } from '../agent/src/driver/lxc/lxc-driver.ts';
import { testSpec } from '../agent/src/driver/lxc/test-spec.ts';
import { prepareHost } from '../agent/src/prepare-host.ts';

const RUNS = Number(process.argv[2] ?? 5);
const JOB = 'head -c 1536M /dev/zero | sha256sum > /dev/null';
const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
const driver = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
// Slot 242 (198.18.0.242): kept free of tests and the other benches. All the host's cores, no IO caps.
const spec = testSpec(242, { hostname: 'overhead-bench' });
spec.limits = { ...spec.limits, cpuCores: 2, memoryMb: 1024, diskGb: 2 };

const timed = (cmd: string, args: string[]) => {
  const t0 = performance.now();
  execFileSync(cmd, args, { stdio: 'ignore' });
  return (performance.now() - t0) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await driver.create(spec);
try {
  await driver.start(spec);
  const host: number[] = [];
  const vps: number[] = [];
  timed('sh', ['-c', JOB]); // warm the page cache and CPU frequency
  for (let i = 0; i < RUNS; i++) {
    host.push(timed('sh', ['-c', JOB]));
    vps.push(timed('lxc-attach', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId, '--clear-env', '--', 'sh', '-c', JOB]));
  }
  const h = median(host);
  const v = median(vps);
  console.log(`CPU-bound job (${JOB}), median of ${RUNS}:`);
  console.log(`host ${h.toFixed(3)} s   inside a VPS ${v.toFixed(3)} s   ratio host/vps ${(h / v).toFixed(3)}`);
} finally {
  await driver.destroy(spec);
}
