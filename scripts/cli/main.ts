// berth — the admin CLI: `npm run -s berth -- <command>`. Output meant for scripts goes to stdout alone.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadEnv, ZCliEnv } from '@berth/config';
import { createDb } from '@berth/db';
import { ZAddHostRequest, ZInstallHostRequest } from '@berth/contracts';
import { AppError, addHost, createApiKey, createUser, findAdminPrincipal, getHostInstall, installHost, listHosts, listServers } from '@berth/core';

const USAGE = `usage: berth <command>
  keys create --admin [--name N]                 create an admin API key; prints only the key
  keys create --user EMAIL [--scopes a,b] [--name N]
  users create --email E --name N [--role admin|reseller|customer] [--password P]
  hosts list
  hosts add --name N --address A (--ssh-key FILE | --password-file FILE) [--ssh-user root] [--ssh-port 22]
            [--install-dir D] [--data-dir D] [--lxc-path D] [--uid-first-slot N --uid-slots N]
                                                 install the agent over SSH (the worker runs it); follows it to the end
  hosts install ID (--ssh-key FILE | --password-file FILE)   install the current agent again (upgrade, repair)
  servers list [--status S] [--limit N]`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    admin: { type: 'boolean' }, user: { type: 'string' }, scopes: { type: 'string' }, name: { type: 'string' },
    email: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' }, status: { type: 'string' },
    limit: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    address: { type: 'string' }, 'ssh-key': { type: 'string' }, 'password-file': { type: 'string' }, 'ssh-user': { type: 'string' },
    'ssh-port': { type: 'string' }, 'install-dir': { type: 'string' }, 'data-dir': { type: 'string' }, 'lxc-path': { type: 'string' },
    'uid-first-slot': { type: 'string' }, 'uid-slots': { type: 'string' },
  },
});

const env = loadEnv(ZCliEnv);
const db = createDb(env.DATABASE_URL, { max: 2 });
const table = (rows: Record<string, unknown>[]) => (rows.length ? console.table(rows) : console.log('(none)'));

const run = async (): Promise<void> => {
  const cmd = positionals.join(' ');
  if (values.help || !cmd) return void console.log(USAGE);
  if (cmd === 'keys create') {
    const principal = values.admin ? await findAdminPrincipal({ db }) : null;
    const user = principal ? { id: principal.userId } : await db.user.findUnique({ where: { email: values.user ?? '' } });
    if (!user) throw new AppError('not_found', 'pass --admin or --user EMAIL of an existing user');
    const scopes = values.admin ? ['admin:*'] : (values.scopes ?? 'servers:read,servers:write').split(',');
    const { key } = await createApiKey({ db, userId: user.id, name: values.name ?? 'cli', scopes });
    return void process.stdout.write(`${key}\n`);
  }
  if (cmd === 'users create') {
    if (!values.email || !values.name) throw new AppError('bad_request', '--email and --name are required');
    const role = (values.role ?? 'customer') as 'admin' | 'reseller' | 'customer';
    if (!['admin', 'reseller', 'customer'].includes(role)) throw new AppError('bad_request', '--role must be admin, reseller or customer');
    const u = await createUser({ db, email: values.email, name: values.name, role, password: values.password });
    return void console.log(u.id);
  }
  const principal = await findAdminPrincipal({ db });
  if (cmd === 'hosts list') {
    const { data } = await listHosts({ db, principal });
    return table(data.map((h) => ({ id: h.id, name: h.name, status: h.status, cores: h.cpuCores, memoryMb: h.memoryMb, lastHeartbeat: h.lastHeartbeatAt })));
  }
  if (cmd === 'hosts add' || positionals.slice(0, 2).join(' ') === 'hosts install') {
    if (!env.SESSION_SECRET) throw new AppError('bad_request', 'SESSION_SECRET must be set (it seals the SSH credentials until the worker uses them)');
    const login = {
      sshUser: values['ssh-user'], sshPort: values['ssh-port'] ? Number(values['ssh-port']) : undefined,
      privateKey: values['ssh-key'] ? readFileSync(values['ssh-key'], 'utf8') : undefined,
      password: values['password-file'] ? readFileSync(values['password-file'], 'utf8').trim() : undefined,
    };
    const { host, install } = cmd === 'hosts add'
      ? await addHost({ db, principal, sessionSecret: env.SESSION_SECRET, input: ZAddHostRequest.parse({
          ...login, name: values.name, address: values.address,
          installDir: values['install-dir'], dataDir: values['data-dir'], lxcPath: values['lxc-path'],
          uidFirstSlot: values['uid-first-slot'] ? Number(values['uid-first-slot']) : undefined,
          uidSlots: values['uid-slots'] ? Number(values['uid-slots']) : undefined,
        }) })
      : await installHost({ db, principal, sessionSecret: env.SESSION_SECRET, hostId: positionals[2] ?? '', input: ZInstallHostRequest.parse(login) });
    console.error(`host ${host.id}: install ${install.id} queued; a worker (npm start) runs it`);
    for (let last = '';;) {
      const now = await getHostInstall({ db, principal, hostId: host.id, installId: install.id });
      if (now.step && now.step !== last) console.error(`  ${(last = now.step)}`);
      if (now.status === 'succeeded') return void console.log(host.id);
      if (now.status === 'failed') throw new AppError('conflict', `install failed: ${now.error}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  if (cmd === 'servers list') {
    const query = { limit: Number(values.limit ?? 50), status: values.status as never };
    const { data } = await listServers({ db, principal, query });
    return table(data.map((s) => ({ id: s.id, hostname: s.hostname, status: s.status, ipv4: s.ipv4, host: s.hostId })));
  }
  throw new AppError('bad_request', `unknown command "${cmd}"\n${USAGE}`);
};

try {
  await run();
} catch (err) {
  console.error(`berth: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
