// Prisma CLI config (generate / migrate). Runs in the CLI process only, never in the app runtime.
// Prisma 6 with the JS schema engine and the pg adapter works offline; three known adapter problems are
// worked around here (see ../shared/notes/stack.md in the project history, and prisma/orm#27403).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { loadEnv, ZCliEnv } from './packages/config/src/index.ts';

// 1. The adapter cannot deserialize catalog columns of type `name` (19) and `"char"` (18): report them as text.
const PG_NAME = 19;
const PG_CHAR = 18;
const PG_TEXT = 25;
const asText = (res: pg.QueryResult | undefined) => {
  for (const f of res?.fields ?? []) if (f.dataTypeID === PG_NAME || f.dataTypeID === PG_CHAR) f.dataTypeID = PG_TEXT;
  return res;
};
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function patchedQuery(this: pg.Client, ...args: unknown[]) {
  // pg.Pool calls client.query with a callback; direct callers get a promise.
  const cb = args.at(-1);
  if (typeof cb === 'function') args[args.length - 1] = (err: unknown, res: pg.QueryResult) => cb(err, asText(res));
  const out = originalQuery.apply(this, args);
  return out && typeof (out as Promise<unknown>).then === 'function' ? (out as Promise<pg.QueryResult>).then(asText) : out;
} as typeof pg.Client.prototype.query;

// 2. A connectionString would override the shadow database name: use discrete fields.
const poolConfig = (): pg.PoolConfig => {
  const u = new URL(loadEnv(ZCliEnv).DATABASE_URL); // the environment, else .env from npm run setup
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
  };
};

// 3. Drop the shadow database with FORCE after its pool is closed; a 57P01 on an idle client is harmless.
// 4. The adapter's executeScript splits on every ";", which breaks plpgsql bodies in migrations: send the
//    whole script in one simple-protocol query instead (Postgres runs it as one implicit transaction).
class CliPrismaPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    const pool = adapter.underlyingDriver() as pg.Pool;
    adapter.executeScript = async (script: string) => {
      await pool.query(script);
    };
    return adapter;
  }

  override async connectToShadowDb() {
    const main = await this.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg({ ...poolConfig(), database }, { onPoolError: () => {} }).connect();
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await disposeShadow();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await main.dispose();
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => new CliPrismaPg(poolConfig(), { onPoolError: () => {} }),
});
