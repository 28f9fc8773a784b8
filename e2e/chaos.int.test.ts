// The chaos scenarios of `npm run chaos` with small counts, so a regression fails the build: the agent and the
// worker SIGKILLed mid-flight (also during a backup and a restore), Redis and Postgres restarted (e2e/support/chaos.ts says what must hold).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKills, backupKills, postgresRestart, redisRestart, renderChaos, startChaos, workerKills, type TChaos, type TChaosRow } from './support/chaos.ts';

let chaos: TChaos;
const rows: TChaosRow[] = [];
beforeAll(async () => { chaos = await startChaos(); }, 300_000);
afterAll(async () => {
  console.log(renderChaos(rows));
  await chaos?.stop();
}, 300_000);

const expectAll = (r: TChaosRow[]) => {
  rows.push(...r);
  for (const row of r) expect(row.pass, `${row.fault}: expected ${row.expected}; observed ${row.observed}`).toBe(true);
};

it('(a) agent killed during creates and deletes: clear outcomes, desired states, nothing left behind', async () => expectAll(await agentKills(chaos, 3)), 900_000);
it('(b) Redis restarted mid-flight: no operation lost', async () => expectAll(await redisRestart(chaos, 2)), 600_000);
it('(c) Postgres restarted: 503 meanwhile, back by itself within 5 s, no hour billed twice', async () => expectAll(await postgresRestart(chaos)), 300_000);
it('(d) worker killed mid-dispatch: nothing runs twice', async () => expectAll(await workerKills(chaos, 2)), 600_000);
it('(e) agent killed during a backup and a restore: finished by the redelivered job, the VPS running with its data', async () => expectAll(await backupKills(chaos, 1)), 600_000);
