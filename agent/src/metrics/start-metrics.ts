import type { TReporter } from '../worker/reporter.ts';
import { sampleServers } from './sample-servers.ts';

type TOptions = { reporter: TReporter; hostId: string; everyMs: number; mountpoint: (serverId: string) => string };

/** Every `everyMs`, one host.metrics event with a sample of each running VPS (0 = off). */
export const startMetrics = ({ reporter, hostId, everyMs, mountpoint }: TOptions) => {
  if (everyMs <= 0) return async () => {};
  let inFlight: Promise<void> = Promise.resolve();
  const tick = () => {
    inFlight = (async () => {
      const at = new Date().toISOString();
      const samples = await sampleServers({ mountpoint });
      for (let i = 0; i < samples.length; i += 5000) await reporter.metrics({ hostId, at, samples: samples.slice(i, i + 5000) });
    })().catch((e: unknown) => console.warn('metrics sample failed:', e instanceof Error ? e.message : e));
  };
  const timer = setInterval(tick, everyMs);
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
};
