import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';

type TOptions = { db: TDb; principal: TPrincipal; sshKeyId: string };

/** Forget a saved key (servers it was installed on keep it until reinstalled). */
export const deleteSshKey = async ({ db, principal, sshKeyId }: TOptions): Promise<null> => {
  requireScope(principal, 'account:write');
  await db.$transaction(async (tx) => {
    const n = await tx.sshKey.deleteMany({ where: { id: sshKeyId, userId: principal.userId } });
    if (n.count !== 1) throw notFound('SSH key', sshKeyId);
    await recordAudit({ tx, principal, action: 'ssh_key.delete', targetType: 'ssh_key', targetId: sshKeyId });
  }, TX_OPTIONS);
  return null;
};
