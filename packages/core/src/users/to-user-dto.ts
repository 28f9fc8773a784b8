import type { TUser } from '@berth/contracts';
import type { User } from '@berth/db';

export const toUserDto = (u: User): TUser => ({ id: u.id, tenantId: u.tenantId, email: u.email, name: u.name, role: u.role, subUser: u.subUser, createdAt: u.createdAt.toISOString() });
