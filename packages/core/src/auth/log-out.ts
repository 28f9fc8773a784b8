import type { TDb } from '@berth/db';
import { sessionIdOf } from './session-token.ts';

type TOptions = { db: TDb; token: string | undefined };

/** End a session (its row goes, so the cookie is worthless even if it was copied). */
export const logOut = async ({ db, token }: TOptions): Promise<void> => {
  if (token) await db.session.deleteMany({ where: { id: sessionIdOf(token) } });
};
