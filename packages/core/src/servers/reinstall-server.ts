import type { TReinstallServerRequest } from '@berth/contracts';
import { requireServerPermission } from '../auth/require-server-permission.ts';
import type { TDb } from '@berth/db';
import { catalogWhere } from '../catalog/catalog-where.ts';
import { resolveSshKeys } from '../account/resolve-ssh-keys.ts';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { startOperation } from '../operations/start-operation.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { getServer } from './get-server.ts';
import { sha512Crypt } from './sha512-crypt.ts';
import { toOperationDto } from './to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; input: TReinstallServerRequest };

/**
 * Queue a reinstall: the disk is wiped and rebuilt from the template (new SSH host keys); IP, plan and uid
 * range stay. New SSH keys / password replace the stored ones now, so the rebuilt disk gets them.
 */
export const reinstallServer = async ({ db, principal, serverId, input }: TOptions) => {
  requireScope(principal, 'servers:write');
  const current = await getServer({ db, principal, serverId });
  await requireServerPermission({ db, principal, serverId, permission: 'reinstall' });
  const templateId = input.templateId ?? current.templateId;
  if (!(await db.template.findFirst({ where: { AND: [{ id: templateId, active: true }, await catalogWhere(db, current.tenantId)] } }))) {
    const message = `unknown template ${templateId}`;
    throw new AppError('validation_failed', message, { fieldErrors: [{ path: 'templateId', message }] });
  }
  const sshKeys = await resolveSshKeys({ db, principal, sshKeys: input.sshKeys, sshKeyIds: input.sshKeyIds });
  const rootPasswordHash = input.rootPassword ? sha512Crypt(input.rootPassword) : undefined;
  const op = await db.$transaction(async (tx) => {
    const op = await startOperation({
      tx, principal, serverId, type: 'reinstall', allowedFrom: ['running', 'stopped', 'error'], params: { templateId },
    });
    if (sshKeys || rootPasswordHash) {
      await tx.server.update({ where: { id: serverId }, data: { sshKeys, rootPasswordHash } });
    }
    return op;
  }, TX_OPTIONS);
  return { operation: toOperationDto(op) };
};
