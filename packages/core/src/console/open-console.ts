import type { TConsoleTicket } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { requireServerPermission } from '../auth/require-server-permission.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { getServer } from '../servers/get-server.ts';
import { signConsoleToken } from './sign-console-token.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; signingKey: string; ttlSeconds?: number };

/**
 * A ticket for the server's web console: the browser takes it straight to the host's agent, which checks
 * the signature and opens a login shell on a pty inside the VPS. Tickets live a minute; an open console
 * stays open only while the browser keeps presenting fresh ones (so losing the right ends it), and the
 * agent also drops it at once when the panel announces the user's access changed.
 */
export const openConsole = async ({ db, principal, serverId, signingKey, ttlSeconds = 60 }: TOptions): Promise<TConsoleTicket> => {
  requireScope(principal, 'servers:write');
  const server = await getServer({ db, principal, serverId });
  await requireServerPermission({ db, principal, serverId, permission: 'console' });
  if (server.status !== 'running') throw new AppError('invalid_state', `The console needs a running server; this one is ${server.status}.`);
  const host = await db.host.findUniqueOrThrow({ where: { id: server.hostId } });
  if (!host.consoleUrl) throw new AppError('invalid_state', 'This server\'s host has not reported a console endpoint yet; try again in a minute.');
  const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
  const token = signConsoleToken(signingKey, { sid: serverId, hid: host.id, uid: principal.userId, exp });
  await db.$transaction((tx) => recordAudit({ tx, principal, action: 'server.console', targetType: 'server', targetId: serverId, tenantId: server.tenantId }));
  return { url: host.consoleUrl, token, expiresAt: new Date(exp * 1000).toISOString(), renewAfterSeconds: Math.floor(ttlSeconds / 2) };
};
