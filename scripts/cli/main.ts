// berth — the admin CLI: `npm run -s berth -- <command>`. Output meant for scripts goes to stdout alone.
import { parseArgs } from 'node:util';
import { loadEnv, ZCliEnv } from '@berth/config';
import { createDb } from '@berth/db';
import { AppError, createApiKey, createUser, findAdminPrincipal, listHosts, listServers } from '@berth/core';

const USAGE = `usage: berth <command>
  keys create --admin [--name N]                 create an admin API key; prints only the key
  keys create --user EMAIL [--scopes a,b] [--name N]
  users create --email E --name N [--role admin|reseller|customer] [--password P]
  hosts list
  servers list [--status S] [--limit N]`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    admin: { type: 'boolean' }, user: { type: 'string' }, scopes: { type: 'string' }, name: { type: 'string' },
    email: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' }, status: { type: 'string' },
    limit: { type: 'string' }, help: { type: 'boolean', short: 'h' },
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
