import { METRIC_RANGES, type TMetricPoint, type TMetricsQuery, type TServerMetrics } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { requireServerPermission } from '../auth/require-server-permission.ts';
import { getServer } from '../servers/get-server.ts';
import { deltasSql } from './deltas-sql.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; query: TMetricsQuery; now?: Date };

type TRow = { at: Date; cpu: number; mem: number; disk: number; ior: number; iow: number; rx: number; tx: number };

/** A server's graphs: the last hour and day from raw samples (1 and 5 minute steps), the month from hourly rollups. */
export const getServerMetrics = async ({ db, principal, serverId, query, now = new Date() }: TOptions): Promise<TServerMetrics> => {
  requireScope(principal, 'servers:read');
  await getServer({ db, principal, serverId });
  await requireServerPermission({ db, principal, serverId, permission: 'view' });
  const { seconds, step } = METRIC_RANGES[query.range];
  const from = new Date(Math.floor((now.getTime() - seconds * 1000) / (step * 1000)) * step * 1000);
  const rows = query.range === 'month'
    ? await db.$queryRaw<TRow[]>`
        SELECT hour AS at, cpu_seconds AS cpu, memory_avg_bytes::float AS mem, disk_used_bytes::float AS disk, io_read_bytes::float AS ior,
               io_write_bytes::float AS iow, net_rx_bytes::float AS rx, net_tx_bytes::float AS tx
        FROM server_metrics_hourly WHERE server_id = ${serverId} AND hour >= ${from} ORDER BY hour`
    : await db.$queryRaw<TRow[]>`
        SELECT date_bin(make_interval(secs => ${step}), at, TIMESTAMP '2000-01-01') AS at,
               sum(d_cpu)::float / 1e9 AS cpu, avg(memory_bytes)::float AS mem, max(disk_used_bytes)::float AS disk,
               sum(d_ior)::float AS ior, sum(d_iow)::float AS iow, sum(d_rx)::float AS rx, sum(d_tx)::float AS tx
        FROM (${deltasSql(from, now, serverId)}) d GROUP BY 1 ORDER BY 1`;
  const points = rows.map((r): TMetricPoint => ({
    at: r.at.toISOString(),
    cpuCores: r.cpu / step,
    memoryBytes: r.mem,
    diskUsedBytes: r.disk,
    ioReadBps: r.ior / step,
    ioWriteBps: r.iow / step,
    netRxBps: r.rx / step,
    netTxBps: r.tx / step,
  }));
  return { serverId, range: query.range, stepSeconds: step, points };
};
