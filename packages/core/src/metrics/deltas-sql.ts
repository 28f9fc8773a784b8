import { Prisma } from '@berth/db';

/**
 * Raw samples in [from, to) with each counter turned into "since the previous sample": a counter that went
 * down was reset (the VPS restarted, its cgroup is new), so its delta is its value. Samples up to 15 min
 * before `from` are read only to give the first sample a predecessor.
 */
export const deltasSql = (from: Date, to: Date, servers: string | string[] | null) => Prisma.sql`
  WITH s AS (
    SELECT server_id, at, memory_bytes, disk_used_bytes, cpu_ns, io_read_bytes, io_write_bytes, net_rx_bytes, net_tx_bytes,
           lag(cpu_ns) OVER w AS p_cpu, lag(io_read_bytes) OVER w AS p_ior, lag(io_write_bytes) OVER w AS p_iow,
           lag(net_rx_bytes) OVER w AS p_rx, lag(net_tx_bytes) OVER w AS p_tx
    FROM server_metrics
    WHERE at >= ${new Date(from.getTime() - 15 * 60_000)} AND at < ${to}
      ${typeof servers === 'string' ? Prisma.sql`AND server_id = ${servers}` : servers ? Prisma.sql`AND server_id = ANY(${servers})` : Prisma.empty}
    WINDOW w AS (PARTITION BY server_id ORDER BY at)
  )
  SELECT server_id, at, memory_bytes, disk_used_bytes,
         CASE WHEN p_cpu IS NULL THEN 0 WHEN cpu_ns >= p_cpu THEN cpu_ns - p_cpu ELSE cpu_ns END AS d_cpu,
         CASE WHEN p_ior IS NULL THEN 0 WHEN io_read_bytes >= p_ior THEN io_read_bytes - p_ior ELSE io_read_bytes END AS d_ior,
         CASE WHEN p_iow IS NULL THEN 0 WHEN io_write_bytes >= p_iow THEN io_write_bytes - p_iow ELSE io_write_bytes END AS d_iow,
         CASE WHEN p_rx IS NULL THEN 0 WHEN net_rx_bytes >= p_rx THEN net_rx_bytes - p_rx ELSE net_rx_bytes END AS d_rx,
         CASE WHEN p_tx IS NULL THEN 0 WHEN net_tx_bytes >= p_tx THEN net_tx_bytes - p_tx ELSE net_tx_bytes END AS d_tx
  FROM s WHERE at >= ${from}`;
