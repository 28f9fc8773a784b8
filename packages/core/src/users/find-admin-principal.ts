import type { TDb } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import type { TPrincipal } from '../auth/principal.ts';

type TOptions = { db: TDb; email?: string };

/** The principal of an admin user (the first one, or by email) for trusted local tools like the CLI. */
export const findAdminPrincipal = async ({ db, email }: TOptions): Promise<TPrincipal> => {
  const user = await db.user.findFirst({ where: { role: 'admin', ...(email ? { email } : {}) }, orderBy: { createdAt: 'asc' } });
  if (!user) throw new AppError('not_found', 'No admin user exists; run `npm run setup` (it seeds one).');
  return { userId: user.id, tenantId: user.tenantId, role: 'admin', scopes: ['admin:*'] };
};
