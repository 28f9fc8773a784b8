// Each integration test file gets its own database, cloned from a migrated template database (fast, isolated).
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadEnv, REPO_ROOT, ZCliEnv } from '@berth/config';
import { createDb, type TDb } from '../index.ts';

const MIGRATIONS = path.join(REPO_ROOT, 'prisma/migrations');

const migrationSql = (): string[] =>
  readdirSync(MIGRATIONS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => readFileSync(path.join(MIGRATIONS, name, 'migration.sql'), 'utf8'));

const withUrlDb = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

const admin = async <T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
};

/** Create the template for the current migrations once (named by their hash), then a fresh clone of it. */
export const createTestDatabase = async (): Promise<{ url: string; db: TDb; drop: () => Promise<void> }> => {
  const baseUrl = loadEnv(ZCliEnv).DATABASE_URL;
  const sqls = migrationSql();
  const template = `berth_tpl_${createHash('sha256').update(sqls.join('\n')).digest('hex').slice(0, 12)}`;
  const name = `berth_test_${randomBytes(6).toString('hex')}`;
  await admin(baseUrl, async (c) => {
    // Serialize template creation across parallel test processes.
    await c.query('SELECT pg_advisory_lock(4242)');
    try {
      const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (!rowCount) {
        await c.query(`CREATE DATABASE "${template}"`);
        await admin(withUrlDb(baseUrl, template), async (t) => {
          for (const sql of sqls) await t.query(sql);
        });
      }
      await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(4242)');
    }
  });
  const url = withUrlDb(baseUrl, name);
  const db = createDb(url, { max: 20 });
  return {
    url,
    db,
    drop: async () => {
      await db.$disconnect();
      // Not WITH (FORCE): that also tries to kill an autovacuum worker busy on the database (a superuser's
      // process: "must be a member of the role…"). Our own leftover connections are ended first; plain
      // DROP DATABASE makes autovacuum step aside by itself.
      await admin(baseUrl, async (c) => {
        for (let attempt = 1; ; attempt++) {
          await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()`, [name]);
          try {
            return await c.query(`DROP DATABASE IF EXISTS "${name}"`);
          } catch (err) {
            if (attempt >= 5 || !/being accessed by other users/.test(String(err))) throw err;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      });
    },
  };
};
