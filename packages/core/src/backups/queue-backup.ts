import { newId } from '@berth/contracts';
import type { Plan, Server, TTx } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { startOperation } from '../operations/start-operation.ts';
import { lockReadyBackup } from './lock-ready-backup.ts';

type TOptions = {
  tx: TTx;
  /** null: the schedule. */
  principal: TPrincipal | null;
  server: Server & { plan: Plan; host: { backupTargetId: string | null } };
  kind: 'full' | 'incremental';
  trigger: 'manual' | 'schedule';
};

/**
 * The backup row and its operation, in the caller's transaction. An incremental builds on the server's newest
 * ready backup in the same target (a full when there is none); the agent writes it to the host's target.
 */
export const queueBackup = async ({ tx, principal, server, kind, trigger }: TOptions) => {
  const targetId = server.host.backupTargetId;
  if (!targetId) throw new AppError('invalid_state', 'This server\'s host has no backup target; an admin must attach one (POST /backup-targets/{id}/hosts).');
  const backupId = newId('backup');
  const op = await startOperation({ tx, principal, serverId: server.id, type: 'backup', allowedFrom: ['running', 'stopped'], params: { backupId } });
  if (trigger === 'manual') {
    const held = await tx.backup.count({ where: { serverId: server.id, trigger: 'manual', status: { in: ['queued', 'running', 'ready'] } } });
    if (held >= server.plan.maxBackups) throw new AppError('quota_exceeded', `This server's plan allows ${server.plan.maxBackups} manual backups; delete one first.`);
  }
  const newest = kind === 'incremental'
    // A scheduled chain builds on scheduled backups only, so retention never waits on a customer's manual ones.
    ? await tx.backup.findFirst({ where: { serverId: server.id, targetId, status: 'ready', ...(trigger === 'schedule' ? { trigger } : {}) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] })
    : null;
  // Locked, so a deletion racing this one either sees the child or is seen (then this is a full).
  const parent = newest && (await lockReadyBackup({ tx, backupId: newest.id, required: false })) ? newest : null;
  const backup = await tx.backup.create({
    data: {
      id: backupId, serverId: server.id, tenantId: server.tenantId, targetId, kind: parent ? 'incremental' : 'full', parentId: parent?.id ?? null,
      trigger, operationId: op.id, hostname: server.hostname, planId: server.planId, templateId: server.templateId,
    },
  });
  return { backup, operation: op };
};
