import { Prisma, type TDb } from '@berth/db';
import { deltasSql } from './deltas-sql.ts';

type TOptions = { db: TDb; now?: Date; keepRawHours?: number; deleteBatch?: number };

const HOUR = 3_600_000;

/**
 * Roll each complete hour of the last day that is not rolled yet into server_metrics_hourly (once per
 * hour, recorded in metric_rollups) and add its bytes to the month's transfer, then drop raw samples older than `keepRawHours` in bounded batches.
 * Safe to run from several workers: an hour is claimed by inserting its metric_rollups row first.
 */
export const rollupMetrics = async ({ db, now = new Date(), keepRawHours = 26, deleteBatch = 20_000 }: TOptions): Promise<{ hours: number; deleted: number }> => {
  // An hour is rolled 5 minutes after it ends, so samples still in the queue at :00 are counted.
  const lastComplete = Math.floor((now.getTime() - 5 * 60_000) / HOUR) * HOUR - HOUR;
  let hours = 0;
  for (let h = lastComplete - 23 * HOUR; h <= lastComplete; h += HOUR) {
    const hour = new Date(h);
    const done = await db.$transaction(async (tx) => {
      const claimed = await tx.$executeRaw`INSERT INTO metric_rollups (hour) VALUES (${hour}) ON CONFLICT DO NOTHING`;
      if (claimed === 0) return false;
      await tx.$executeRaw`
        INSERT INTO server_metrics_hourly (server_id, hour, cpu_seconds, memory_avg_bytes, memory_max_bytes, disk_used_bytes,
                                           io_read_bytes, io_write_bytes, net_rx_bytes, net_tx_bytes)
        SELECT server_id, ${hour}, sum(d_cpu)::float / 1e9, avg(memory_bytes)::bigint, max(memory_bytes), max(disk_used_bytes),
               sum(d_ior)::bigint, sum(d_iow)::bigint, sum(d_rx)::bigint, sum(d_tx)::bigint
        FROM (${deltasSql(hour, new Date(h + HOUR), null)}) d
        GROUP BY server_id
        ON CONFLICT (server_id, hour) DO NOTHING`;
      // Bandwidth: the hour's bytes join the month's transfer, exactly once (the hour was claimed above).
      await tx.$executeRaw`
        INSERT INTO transfer_usage (server_id, month, bytes)
        SELECT server_id, date_trunc('month', hour), net_rx_bytes + net_tx_bytes FROM server_metrics_hourly WHERE hour = ${hour}
        ON CONFLICT (server_id, month) DO UPDATE SET bytes = transfer_usage.bytes + EXCLUDED.bytes`;
      // Throttle plans whose allowance this hour used up: mark them; the billing tick sends the cap.
      await tx.$executeRaw`
        UPDATE transfer_usage tu SET throttled_at = ${now}
        FROM servers s JOIN plans p ON p.id = s.plan_id
        WHERE tu.server_id = s.id AND tu.month = date_trunc('month', ${hour}::timestamp) AND tu.throttled_at IS NULL
          AND p.overage_action = 'throttle' AND p.transfer_gb IS NOT NULL AND tu.bytes > p.transfer_gb::bigint * 1000000000
          AND tu.server_id IN (SELECT server_id FROM server_metrics_hourly WHERE hour = ${hour})`;
      return true;
    });
    if (done) hours += 1;
  }
  const before = new Date(now.getTime() - keepRawHours * HOUR);
  const deleted = await db.$executeRaw(Prisma.sql`
    DELETE FROM server_metrics WHERE ctid IN (SELECT ctid FROM server_metrics WHERE at < ${before} LIMIT ${deleteBatch})`);
  await db.$executeRaw`DELETE FROM metric_rollups WHERE hour < ${new Date(lastComplete - 48 * HOUR)}`;
  return { hours, deleted };
};
