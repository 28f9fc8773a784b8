import type { THostMetricsEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';

type TOptions = { db: TDb; event: THostMetricsEvent };

/**
 * Store a host's samples, only for servers placed on that host (one host's agent cannot write another
 * host's graphs). A redelivered batch is ignored (primary key server, time).
 */
export const recordMetrics = async ({ db, event }: TOptions): Promise<number> => {
  if (!event.samples.length) return 0;
  const ids = event.samples.map((s) => s.serverId);
  const mine = new Set((await db.server.findMany({ where: { id: { in: ids }, hostId: event.hostId }, select: { id: true } })).map((s) => s.id));
  const at = new Date(event.at);
  const rows = event.samples.filter((s) => mine.has(s.serverId)).map((s) => ({
    serverId: s.serverId, at, cpuNs: BigInt(s.cpuNs), memoryBytes: BigInt(s.memoryBytes), diskUsedBytes: BigInt(s.diskUsedBytes),
    ioReadBytes: BigInt(s.ioReadBytes), ioWriteBytes: BigInt(s.ioWriteBytes), netRxBytes: BigInt(s.netRxBytes), netTxBytes: BigInt(s.netTxBytes),
  }));
  if (!rows.length) return 0;
  return (await db.serverMetric.createMany({ data: rows, skipDuplicates: true })).count;
};
