import { z } from 'zod';
import { ZId } from './ids.ts';

export const OPERATION_TYPES = [
  'create', 'start', 'stop', 'restart', 'destroy', 'resize', 'reinstall', 'network', 'migrate',
  // Snapshots (host-local, copy-on-write), backups (to the host's backup target) and rescue mode.
  'snapshot', 'snapshot_restore', 'snapshot_delete', 'backup', 'restore', 'rescue', 'unrescue',
  // Read a backup back from its target and check every chunk, writing nothing.
  'backup_verify',
] as const;
export const ZOperationType = z.enum(OPERATION_TYPES);
export type TOperationType = z.infer<typeof ZOperationType>;

export const ZOperationStatus = z.enum(['queued', 'running', 'succeeded', 'failed']);
export type TOperationStatus = z.infer<typeof ZOperationStatus>;

export const ZOperation = z.object({
  id: ZId('operation'),
  type: ZOperationType,
  status: ZOperationStatus,
  serverId: ZId('server').nullable(),
  progress: z.number().int().min(0).max(100),
  step: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type TOperation = z.infer<typeof ZOperation>;

/** GET /operations/{id}?wait=N: hold the answer up to N seconds until the operation has finished. */
export const ZGetOperationQuery = z.object({ wait: z.coerce.number().int().min(0).max(60).default(0) });

export const ZListOperationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional(),
  status: ZOperationStatus.optional(),
  serverId: ZId('server').optional(),
});
export type TListOperationsQuery = z.infer<typeof ZListOperationsQuery>;

/** Operations a failed one may be retried as (a resize is asked for again instead: it reserves capacity). */
export const RETRYABLE_OPERATIONS = ['create', 'start', 'stop', 'restart', 'destroy', 'reinstall', 'network'] as const;
