import { newId } from '@berth/contracts';
import { isUniqueViolation, type TDb, type TTx, type UserRole } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { hashPassword } from '../auth/password.ts';

type TOptions = {
  db: TDb; email: string; name: string; role: UserRole; password?: string; tenantId?: string; subUser?: boolean;
  /** Runs in the same transaction once the user exists (an audit event). */
  then?: (tx: TTx, userId: string) => Promise<void>;
};

/** Create a user; without a tenant, the user gets a tenant of their own. */
export const createUser = async ({ db, email, name, role, password, tenantId, subUser = false, then }: TOptions) => {
  const normalized = email.trim().toLowerCase();
  if (await db.user.findUnique({ where: { email: normalized } })) {
    throw new AppError('conflict', `A user with email ${normalized} already exists.`);
  }
  const passwordHash = password ? await hashPassword(password) : null;
  try {
    return await db.$transaction(async (tx) => {
      const tid = tenantId ?? (await tx.tenant.create({ data: { id: newId('tenant'), name } })).id;
      const user = await tx.user.create({ data: { id: newId('user'), tenantId: tid, email: normalized, name, role, passwordHash, subUser } });
      await then?.(tx, user.id);
      return user;
    });
  } catch (err) {
    // Two requests with one email at once: the unique index decides, the loser gets the same 409.
    if (isUniqueViolation(err)) throw new AppError('conflict', `A user with email ${normalized} already exists.`);
    throw err;
  }
};
