import { decodeCursor, encodeCursor } from '../servers/cursor.ts';

/** Keyset pagination over (createdAt DESC, id DESC): the where fragment, the order, and the page. */
export const keyset = (cursor: string | undefined, limit: number) => {
  const after = cursor ? decodeCursor(cursor) : null;
  return {
    where: after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {},
    orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
    take: limit + 1,
    page: <R extends { createdAt: Date; id: string }, T>(rows: R[], map: (r: R) => T) => {
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { data: page.map(map), nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
  };
};
