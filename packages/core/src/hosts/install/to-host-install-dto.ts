import type { THostInstall } from '@berth/contracts';
import type { HostInstall } from '@berth/db';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const toHostInstallDto = (i: HostInstall): THostInstall => ({
  id: i.id, hostId: i.hostId, status: i.status, step: i.step, error: i.error, bundleId: i.bundleId,
  createdAt: i.createdAt.toISOString(), startedAt: iso(i.startedAt), finishedAt: iso(i.finishedAt),
});
