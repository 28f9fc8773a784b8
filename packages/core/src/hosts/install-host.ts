import type { TInstallHostRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { requestInstall, type TInstallOptions } from './install/request-install.ts';
import { toHostInstallDto } from './install/to-host-install-dto.ts';
import { toHostDto } from './to-host-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; hostId: string; input: TInstallHostRequest; sessionSecret: string };

/**
 * POST /hosts/{id}/install: install the panel's current agent on the host again (an upgrade, or a repair),
 * into the same directories as the last run. Running VPSes are not touched: the old agent finishes its jobs
 * and the new one takes over its queue.
 */
export const installHost = async ({ db, principal, hostId, input, sessionSecret }: TOptions) => {
  requireScope(principal, 'admin:*');
  return db.$transaction(async (tx) => {
    const host = await tx.host.findUnique({ where: { id: hostId } });
    if (!host) throw notFound('host', hostId);
    const last = await tx.hostInstall.findFirst({ where: { hostId }, orderBy: { createdAt: 'desc' } });
    const options = (last?.options ?? { installDir: '/opt/berth-agent', dataDir: '/var/lib/berth', lxcPath: '/var/lib/berth/lxc' }) as TInstallOptions;
    const install = await requestInstall({ tx, principal, hostId, login: input, options, sessionSecret });
    await recordAudit({ tx, principal, action: 'host.install', targetType: 'host', targetId: hostId, data: { installId: install.id } });
    return { host: toHostDto(host), install: toHostInstallDto(install) };
  }, TX_OPTIONS);
};
