import type { TServer } from '@berth/contracts';
import { RescueControl } from './rescue-control.tsx';

/** At the top of a server's page while it runs the rescue system: what that means, and the way out. */
export function RescueBanner({ server, blocked }: { server: Pick<TServer, 'id' | 'hostname' | 'ipv4'>; blocked: string | null }) {
  return (
    <section className="alert alert-error stack-sm" aria-labelledby="rescue-banner-title" data-testid="rescue-banner">
      <h2 id="rescue-banner-title">Rescue mode</h2>
      <p>
        This server runs the rescue system, not its own: its disk is mounted at <code>/mnt</code>. Log in as root
        {server.ipv4 ? <> (<code>ssh root@{server.ipv4}</code>)</> : null} with its SSH keys or root password, or use the console.
        Snapshots, backups, restores and plan changes wait until you leave.
      </p>
      <RescueControl serverId={server.id} hostname={server.hostname} ipv4={server.ipv4} rescue blocked={blocked} />
    </section>
  );
}
