import type { TDb } from '@berth/db';

type TOptions = { db: TDb };

/** Every host's id (whatever its status: an offline or draining host's agent still reports). */
export const listHostIds = async ({ db }: TOptions): Promise<string[]> =>
  (await db.host.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((h) => h.id);
