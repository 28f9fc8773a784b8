import type { TTemplate } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';

type TOptions = { db: TDb; principal: TPrincipal };

export const listTemplates = async ({ db }: TOptions): Promise<{ data: TTemplate[] }> => {
  const rows = await db.template.findMany({ where: { active: true }, orderBy: { name: 'asc' } });
  return {
    data: rows.map((t) => ({ id: t.id, name: t.name, label: t.label, imageRef: t.imageRef, createdAt: t.createdAt.toISOString() })),
  };
};
