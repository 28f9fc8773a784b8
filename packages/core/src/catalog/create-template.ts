import { newId, type TCreateTemplateRequest } from '@berth/contracts';
import { isUniqueViolation, type TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { toTemplateDto } from './to-catalog-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TCreateTemplateRequest };

/** Register an OS template (admins): the agents must have its image (`imageRef`) built on their hosts. */
export const createTemplate = async ({ db, principal, input }: TOptions) => {
  requireScope(principal, 'admin:*');
  try {
    return await db.$transaction(async (tx) => {
      if (input.tenantId && !(await tx.tenant.findUnique({ where: { id: input.tenantId } }))) throw notFound('tenant', input.tenantId);
      const row = await tx.template.create({ data: { id: newId('template'), name: input.name, label: input.label, imageRef: input.imageRef, tenantId: input.tenantId ?? null } });
      await recordAudit({ tx, principal, action: 'template.create', targetType: 'template', targetId: row.id, data: { name: row.name } });
      return toTemplateDto(row);
    }, TX_OPTIONS);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `A template named ${input.name} already exists.`);
    throw err;
  }
};
