import type { THostUsage } from '@berth/contracts';
import type { ContainerDriver } from '../driver/driver.ts';
import type { TReporter } from './reporter.ts';

export type THeartbeatOptions = {
  driver: ContainerDriver; reporter: TReporter; hostId: string; version: string; everyMs: number; consoleUrl?: string;
  /** This host's migration endpoint and the certificate sources pin. */
  transfer?: { url: string; certPem: string };
  /** Measures the host for each beat (hardware and use). */
  usage?: () => Promise<THostUsage>;
  installId?: string;
};

/**
 * Tell the panel this host is alive every `everyMs` (first beat at once). A failed beat is logged and the
 * next one tried: a Redis blip must not kill the agent. Returns a stop function that waits for a beat in flight.
 */
export const startHeartbeat = ({ driver, reporter, hostId, version, everyMs, consoleUrl, transfer, usage, installId }: THeartbeatOptions) => {
  let inFlight: Promise<void> = Promise.resolve();
  const beat = () => {
    inFlight = (async () => {
      const containers = (await driver.list()).length;
      await reporter.heartbeat({
        hostId, at: new Date().toISOString(), agentVersion: version, containers, consoleUrl,
        transferUrl: transfer?.url, transferCertPem: transfer?.certPem, installId,
        usage: await usage?.().catch((e: unknown) => void console.warn('host usage:', e instanceof Error ? e.message : e)),
      });
    })().catch((e: unknown) => console.warn('heartbeat failed:', e instanceof Error ? e.message : e));
  };
  beat();
  const timer = setInterval(beat, everyMs);
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
};
