import { newId, type TAddHostRequest } from '@berth/contracts';
import { Prisma, type TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { UID_RANGE_SIZE } from '../ipam/allocate-uid-range.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { requestInstall } from './install/request-install.ts';
import { toHostInstallDto } from './install/to-host-install-dto.ts';
import { toHostDto } from './to-host-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TAddHostRequest; sessionSecret: string };

/** The first id the agent delegates to VPSes (agent/src/host/subids.ts). */
const UID_BASE = 1_000_000;

/**
 * POST /hosts: register a machine and queue the install of its agent over SSH. The host takes no servers
 * (maintenance, no capacity) until the install has measured it and its agent's first heartbeat arrived.
 */
export const addHost = async ({ db, principal, input, sessionSecret }: TOptions) => {
  requireScope(principal, 'admin:*');
  const { name, address, installDir, dataDir, lxcPath, uidFirstSlot, uidSlots, ...login } = input;
  try {
    return await db.$transaction(async (tx) => {
      const host = await tx.host.create({
        data: {
          id: newId('host'), name, address, status: 'maintenance', cpuCores: 0, memoryMb: 0, diskGb: 0,
          uidBase: UID_BASE + uidFirstSlot * UID_RANGE_SIZE, uidSlots,
        },
      });
      const install = await requestInstall({ tx, principal, hostId: host.id, login, options: { installDir, dataDir, lxcPath }, sessionSecret });
      await recordAudit({ tx, principal, action: 'host.add', targetType: 'host', targetId: host.id, data: { name, address, installId: install.id } });
      return { host: toHostDto(host), install: toHostInstallDto(install) };
    }, TX_OPTIONS);
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      throw new AppError('conflict', `A host named ${name} already exists.`, { fieldErrors: [{ path: 'name', message: 'already taken' }] });
    }
    throw e;
  }
};
