import postgres from 'postgres';
import { panel } from './context.ts';

// One postgres.js client per panel process for LISTEN (Prisma cannot listen); postgres.js keeps all
// channels on one connection and re-listens after a reconnect.
const g = globalThis as unknown as { __berthListenSql?: postgres.Sql };

export const listenSql = (): postgres.Sql => {
  g.__berthListenSql ??= postgres(panel().env.DATABASE_URL, { max: 1, onnotice: () => {} });
  return g.__berthListenSql;
};
