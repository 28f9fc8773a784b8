import type { TDb } from '@berth/db';
import { requireScope, tenantScope, type TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { toOperationDto } from '../servers/to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; operationId: string };

/** An operation is visible when its server is. */
export const getOperation = async ({ db, principal, operationId }: TOptions) => {
  requireScope(principal, 'servers:read');
  const op = await db.operation.findFirst({ where: { id: operationId, server: tenantScope(principal) } });
  if (!op) throw notFound('operation', operationId);
  return toOperationDto(op);
};
