import { newId } from '@berth/contracts';
import type { TTx } from '@berth/db';
import type { TPrincipal } from '../../auth/principal.ts';
import { seal } from '../../auth/secret-box.ts';
import { AppError } from '../../errors/app-error.ts';

/** Sealing purpose of SSH credentials waiting for their install run. */
export const SSH_CREDENTIALS_PURPOSE = 'host-install-ssh';

export type TInstallOptions = { installDir: string; dataDir: string; lxcPath: string };
type TLogin = { sshUser: string; sshPort: number; password?: string; privateKey?: string };
type TOptions = { tx: TTx; principal: TPrincipal | null; hostId: string; login: TLogin; options: TInstallOptions; sessionSecret: string };

/**
 * Queue an install run of the host's agent: the SSH secret is kept sealed until a worker takes the run, and
 * erased when it ends. One run at a time per host; the NOTIFY wakes a worker at commit.
 */
export const requestInstall = async ({ tx, principal, hostId, login, options, sessionSecret }: TOptions) => {
  await tx.$queryRaw`SELECT id FROM hosts WHERE id = ${hostId} FOR UPDATE`;
  const busy = await tx.hostInstall.findFirst({ where: { hostId, status: { in: ['pending', 'running'] } } });
  if (busy) throw new AppError('conflict', `Install ${busy.id} of this host is still ${busy.status}; wait for it to end.`);
  const secret = JSON.stringify(login.password ? { password: login.password } : { privateKey: login.privateKey });
  const install = await tx.hostInstall.create({
    data: {
      id: newId('hostInstall'), hostId, sshUser: login.sshUser, sshPort: login.sshPort, options,
      credentials: seal(sessionSecret, SSH_CREDENTIALS_PURPOSE, secret), requestedBy: principal?.userId ?? null,
    },
  });
  await tx.$executeRaw`SELECT pg_notify('berth_host_install', ${hostId})`;
  return install;
};
