import { newId } from '@berth/contracts';
import type { TDb, UserRole } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { hashPassword } from '../auth/password.ts';

type TOptions = { db: TDb; email: string; name: string; role: UserRole; password?: string; tenantId?: string; subUser?: boolean };

/** Create a user; without a tenant, the user gets a tenant of their own. */
export const createUser = async ({ db, email, name, role, password, tenantId, subUser = false }: TOptions) => {
  const normalized = email.trim().toLowerCase();
  if (await db.user.findUnique({ where: { email: normalized } })) {
    throw new AppError('conflict', `A user with email ${normalized} already exists.`);
  }
  const passwordHash = password ? await hashPassword(password) : null;
  return db.$transaction(async (tx) => {
    const tid = tenantId ?? (await tx.tenant.create({ data: { id: newId('tenant'), name } })).id;
    return tx.user.create({ data: { id: newId('user'), tenantId: tid, email: normalized, name, role, passwordHash, subUser } });
  });
};
