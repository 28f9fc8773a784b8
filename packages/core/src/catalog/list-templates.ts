import type { TTemplate } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { catalogWhere } from './catalog-where.ts';
import { toTemplateDto } from './to-catalog-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; includeRetired?: boolean };

/** OS templates the caller may use (public and its reseller's), by name; whole, like plans. */
export const listTemplates = async ({ db, principal, includeRetired = false }: TOptions): Promise<{ data: TTemplate[]; nextCursor: null }> => {
  const where = principal.role === 'admin' ? {} : await catalogWhere(db, principal.tenantId);
  const rows = await db.template.findMany({ where: { AND: [where, includeRetired ? {} : { active: true }] }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  return { data: rows.map(toTemplateDto), nextCursor: null };
};
