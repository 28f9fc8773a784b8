import { z } from 'zod';
import { ZId } from './ids.ts';

/**
 * What a sub-user may do with one server. Any entry makes the server visible to them; without a row the
 * server does not exist for them (404).
 */
// backup: take and delete snapshots and backups, verify backups, set the schedule; rolling back, restoring and rescue need reinstall.
export const SERVER_PERMISSIONS = ['view', 'power', 'console', 'rename', 'resize', 'reinstall', 'delete', 'backup'] as const;
export const ZServerPermission = z.enum(SERVER_PERMISSIONS);
export type TServerPermission = z.infer<typeof ZServerPermission>;

/** Tenant-wide rights a sub-user may hold besides per-server ones. */
export const TENANT_PERMISSIONS = ['servers:create', 'billing'] as const;
export const ZTenantPermission = z.enum(TENANT_PERMISSIONS);
export type TTenantPermission = z.infer<typeof ZTenantPermission>;

/** PUT /users/{id}/permissions: the sub-user's whole set, replaced at once. */
export const ZUserPermissions = z.object({
  tenant: z.array(ZTenantPermission).max(TENANT_PERMISSIONS.length),
  servers: z.array(z.object({ serverId: ZId('server'), permissions: z.array(ZServerPermission).min(1).max(SERVER_PERMISSIONS.length) })).max(1000),
});
export type TUserPermissions = z.infer<typeof ZUserPermissions>;
