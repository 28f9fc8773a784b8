import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { sessionIdOf } from './session-token.ts';

type TOptions = { db: TDb; token: string | undefined };

/** End a session (its row goes, so the cookie is worthless even if it was copied). */
export const logOut = async ({ db, token }: TOptions): Promise<void> => {
  if (!token) return;
  await db.$transaction(async (tx) => {
    const session = await tx.session.findUnique({ where: { id: sessionIdOf(token) }, include: { user: true } });
    if (!session) return;
    await tx.session.delete({ where: { id: session.id } });
    const actor = { userId: session.userId, tenantId: session.user.tenantId, role: session.user.role, scopes: [] };
    await recordAudit({ tx, principal: actor, action: 'user.logout', targetType: 'user', targetId: session.userId });
  });
};
