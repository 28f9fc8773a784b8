// Build tenants, users and keys through the public API, as an admin and a reseller would.
import { createBerthClient, type TBerthClient } from '@berth/client';

let seq = 0;
export const uniqueEmail = (tag: string) => `${tag}-${process.pid}-${Date.now().toString(36)}-${++seq}@example.test`;

// One sign-in per user and stack (sign-ins are rate limited per account, as for a password guesser).
const cookies = new Map<string, string>();

/** Sign in with email + password (the UI's session cookie) and mint an API key for that user. */
export const keyByLogin = async (
  baseUrl: string, email: string, password: string,
  key: { scopes: string[]; expiresAt?: string; allowedIps?: string[]; name?: string },
): Promise<{ key: string; id: string }> => {
  let cookie = cookies.get(`${baseUrl} ${email}`);
  if (!cookie) {
    const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (!login.ok) throw new Error(`login ${email}: ${login.status} ${await login.text()}`);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    cookies.set(`${baseUrl} ${email}`, cookie);
  }
  const client = createBerthClient({ baseUrl, headers: { cookie, 'x-berth-csrf': '1' } });
  const r = await client.call('createApiKey', { body: { name: key.name ?? 'test', scopes: key.scopes as never, expiresAt: key.expiresAt, allowedIps: key.allowedIps } });
  if (!r.ok) throw new Error(`key for ${email}: ${r.status} ${JSON.stringify(r.body)}`);
  return { key: r.body.key, id: r.body.apiKey.id };
};

/** A tenant with one user (role as given) whose password is returned, created by `as`. */
export const makeTenantUser = async (
  as: TBerthClient, o: { role: 'admin' | 'reseller' | 'customer'; tenantName: string; parentId?: string; tenantId?: string },
) => {
  let tenantId = o.tenantId;
  if (!tenantId) {
    const t = await as.call('createTenant', { body: { name: o.tenantName, ...(o.parentId ? { parentId: o.parentId } : {}) } });
    if (!t.ok) throw new Error(`tenant: ${t.status} ${JSON.stringify(t.body)}`);
    tenantId = t.body.id;
  }
  const email = uniqueEmail(o.role);
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const u = await as.call('createUser', { body: { email, name: o.tenantName, tenantId, role: o.role, password } });
  if (!u.ok) throw new Error(`user: ${u.status} ${JSON.stringify(u.body)}`);
  return { tenantId, userId: u.body.id, email, password };
};
