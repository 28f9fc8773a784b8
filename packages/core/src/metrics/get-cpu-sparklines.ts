import type { TDb } from '@berth/db';
import { requireScope, tenantScope, type TPrincipal } from '../auth/principal.ts';
import { deltasSql } from './deltas-sql.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverIds: string[]; now?: Date };

const STEP_S = 300;

/**
 * CPU use (cores) of each server over the last hour in 5-minute steps, for the list's sparklines: one
 * query for the page's servers (those the caller can see), oldest step first; steps without data are 0.
 */
export const getCpuSparklines = async ({ db, principal, serverIds, now = new Date() }: TOptions): Promise<Map<string, number[]>> => {
  requireScope(principal, 'servers:read');
  const visible = (await db.server.findMany({ where: { id: { in: serverIds }, ...tenantScope(principal) }, select: { id: true } })).map((s) => s.id);
  const out = new Map<string, number[]>(visible.map((id) => [id, Array(12).fill(0)]));
  if (!visible.length) return out;
  const first = Math.floor(now.getTime() / (STEP_S * 1000)) * STEP_S * 1000 - 11 * STEP_S * 1000;
  const rows = await db.$queryRaw<{ server_id: string; at: Date; cpu: number }[]>`
    SELECT server_id, date_bin(make_interval(secs => ${STEP_S}), at, TIMESTAMP '2000-01-01') AS at, sum(d_cpu)::float / 1e9 AS cpu
    FROM (${deltasSql(new Date(first), now, visible)}) d GROUP BY 1, 2`;
  for (const r of rows) {
    const i = Math.round((r.at.getTime() - first) / (STEP_S * 1000));
    const line = out.get(r.server_id);
    if (line && i >= 0 && i < 12) line[i] = r.cpu / STEP_S;
  }
  return out;
};
