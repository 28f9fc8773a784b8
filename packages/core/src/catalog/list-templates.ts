import type { TTemplate } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { catalogFor } from './catalog-where.ts';
import { toTemplateDto } from './to-catalog-dto.ts';

/** `forTenantId`: the catalog that tenant orders from (e.g. a server's owner, for its resize choices), if the caller can see it. */
type TOptions = { db: TDb; principal: TPrincipal; includeRetired?: boolean; forTenantId?: string };

/** OS templates the caller may use (public and its reseller's), by name; whole, like plans. */
export const listTemplates = async ({ db, principal, includeRetired = false, forTenantId }: TOptions): Promise<{ data: TTemplate[]; nextCursor: null }> => {
  const where = await catalogFor({ db, principal, forTenantId });
  const rows = await db.template.findMany({ where: { AND: [where, includeRetired ? {} : { active: true }] }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  return { data: rows.map(toTemplateDto), nextCursor: null };
};
