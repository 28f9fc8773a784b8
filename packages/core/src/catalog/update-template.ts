import type { TUpdateTemplateRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { toTemplateDto } from './to-catalog-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; templateId: string; input: TUpdateTemplateRequest };

/** Relabel or retire a template (admins); servers installed from it are not touched. */
export const updateTemplate = async ({ db, principal, templateId, input }: TOptions) => {
  requireScope(principal, 'admin:*');
  return db.$transaction(async (tx) => {
    if (!(await tx.template.findUnique({ where: { id: templateId } }))) throw notFound('template', templateId);
    const row = await tx.template.update({ where: { id: templateId }, data: input });
    await recordAudit({ tx, principal, action: 'template.update', targetType: 'template', targetId: templateId, data: input as Record<string, unknown> });
    return toTemplateDto(row);
  }, TX_OPTIONS);
};
