import Link from 'next/link';
import { SERVER_STATUSES, ZListServersQuery } from '@berth/contracts';
import { AppError, findLatestOperations, getCpuSparklines, isOperationActive, listHosts, listPlans, listServers, listTenants } from '@berth/core';
import { FieldError } from '../../../../components/field-error.tsx';
import { formatDate, TRANSITIONAL_STATUSES } from '../../../../components/format.ts';
import { LiveRefresh } from '../../../../components/live-refresh.tsx';
import { Sparkline } from '../../../../components/sparkline.tsx';
import { StatusBadge } from '../../../../components/status-badge.tsx';
import { requireSession } from '../../../../server/ui-session.ts';

export const metadata = { title: 'Servers' };

type TSearch = Record<string, string | string[] | undefined>;
const FILTERS = ['status', 'hostId', 'tenantId', 'cursor'] as const;

/** The filter fields present in the URL (empty selects dropped), as the list query would read them. */
const readFilters = (sp: TSearch) =>
  Object.fromEntries(FILTERS.flatMap((k) => (typeof sp[k] === 'string' && sp[k] !== '' ? [[k, sp[k]]] : [])));

export default async function ServersPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const { db, principal } = await requireSession();
  const wanted = readFilters(await searchParams);
  const parsed = ZListServersQuery.safeParse({ ...wanted, limit: 50 });
  const fieldErrors = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), [i.message]]));
  const query = parsed.success ? parsed.data : ZListServersQuery.parse({ limit: 50 });
  const manager = principal.role !== 'customer' && !principal.subUser;

  const [servers, plans, hosts, customers] = await Promise.all([
    // A hand-edited cursor is bad input, not a crash: show the first page's emptiness with a note.
    listServers({ db, principal, query }).catch((err: unknown) => {
      if (err instanceof AppError && err.status < 500) return { data: [], nextCursor: null, problem: err.message };
      throw err;
    }),
    listPlans({ db, principal, includeRetired: true }), // names of plans no longer on sale too
    principal.role === 'admin' ? listHosts({ db, principal, query: { limit: 200 } }) : Promise.resolve({ data: [] }),
    manager ? listTenants({ db, principal, query: { limit: 200, parentId: principal.tenantId } }) : Promise.resolve({ data: [] }),
  ]);
  const ids = servers.data.map((s) => s.id);
  const [ops, cpu] = await Promise.all([findLatestOperations({ db, principal, serverIds: ids }), getCpuSparklines({ db, principal, serverIds: ids })]);
  const planName = new Map(plans.data.map((p) => [p.id, p.name]));
  const planCores = new Map(plans.data.map((p) => [p.id, p.cpuCores]));
  const tenantName = new Map<string, string>([[principal.tenantId, 'Own'], ...customers.data.map((t) => [t.id, t.name] as [string, string])]);
  const changing = servers.data.some((s) => TRANSITIONAL_STATUSES.includes(s.status) || isOperationActive(ops.get(s.id)));
  const filtered = Object.keys(wanted).some((k) => k !== 'cursor');
  const nextHref = servers.nextCursor ? `/servers?${new URLSearchParams({ ...wanted, cursor: servers.nextCursor })}` : null;

  return (
    <>
      <div className="page-head">
        <h1>Servers</h1>
        <LiveRefresh serverIds={ids} list={!query.cursor} active={changing} />
        <Link href="/servers/new" className="btn btn-primary">New server</Link>
      </div>

      {(manager || servers.data.length > 0 || filtered) && (
        <form className="card filters" method="get" action="/servers" aria-label="Filter servers">
          <div className="field">
            <label htmlFor="f-status">Status</label>
            <select id="f-status" name="status" defaultValue={wanted.status ?? ''} aria-invalid={!!fieldErrors.status}>
              <option value="">Any</option>
              {SERVER_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
            <FieldError id="f-status" messages={fieldErrors.status} />
          </div>
          {principal.role === 'admin' && (
            <div className="field">
              <label htmlFor="f-host">Host</label>
              <select id="f-host" name="hostId" defaultValue={wanted.hostId ?? ''}>
                <option value="">Any</option>
                {hosts.data.map((h) => <option key={h.id} value={h.id}>{h.name}</option>)}
              </select>
              <FieldError id="f-host" messages={fieldErrors.hostId} />
            </div>
          )}
          {principal.role === 'admin' && (
            <div className="field">
              <label htmlFor="f-tenant">Tenant ID</label>
              <input id="f-tenant" name="tenantId" defaultValue={wanted.tenantId ?? ''} placeholder="ten_…" spellCheck={false}
                aria-invalid={!!fieldErrors.tenantId} aria-describedby={fieldErrors.tenantId ? 'f-tenant-error' : undefined} />
              <FieldError id="f-tenant" messages={fieldErrors.tenantId} />
            </div>
          )}
          {principal.role === 'reseller' && manager && (
            <div className="field">
              <label htmlFor="f-customer">Customer</label>
              <select id="f-customer" name="tenantId" defaultValue={wanted.tenantId ?? ''}>
                <option value="">All</option>
                <option value={principal.tenantId}>My own account</option>
                {customers.data.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
              </select>
              <FieldError id="f-customer" messages={fieldErrors.tenantId} />
            </div>
          )}
          <div className="form-actions">
            <button type="submit" className="btn">Filter</button>
            {filtered && <Link href="/servers" className="btn btn-small">Clear</Link>}
          </div>
        </form>
      )}

      {'problem' in servers && <p className="alert alert-error" role="alert">{servers.problem}</p>}
      {servers.data.length === 0 ? (
        filtered || query.cursor ? (
          <div className="card empty"><h2>No servers match</h2><p className="muted">Change or clear the filters.</p></div>
        ) : (
          <div className="card empty">
            <h2>No servers yet</h2>
            <p className="muted">Create your first server; it is ready in about a minute.</p>
            <Link href="/servers/new" className="btn btn-primary">Create a server</Link>
          </div>
        )
      ) : (
        <div className="card table-card">
          <table className="table" aria-label="Servers">
            <thead>
              <tr>
                <th scope="col">Hostname</th><th scope="col">Status</th><th scope="col">IPv4</th><th scope="col">Plan</th>
                {manager && <th scope="col">{principal.role === 'admin' ? 'Tenant' : 'Customer'}</th>}
                <th scope="col">CPU, last hour</th><th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {servers.data.map((s) => {
                const op = ops.get(s.id);
                return (
                  <tr key={s.id}>
                    <td><Link href={`/servers/${s.id}`} className="strong">{s.hostname}</Link></td>
                    <td>
                      <StatusBadge status={s.status} hostStatus={s.hostStatus} />
                      {isOperationActive(op) && op!.type !== 'create' && op!.type !== 'destroy' && (
                        <span className="muted small"> {op!.type} {op!.status}</span>
                      )}
                      {isOperationActive(op) && <progress className="progress-inline" max={100} value={op!.progress} aria-label={`${s.hostname} ${op!.type} progress`} />}
                    </td>
                    <td className="mono">{s.ipv4 ?? '—'}</td>
                    <td className="capitalize">{planName.get(s.planId) ?? s.planId}</td>
                    {manager && (
                      <td>
                        <Link href={`/servers?tenantId=${s.tenantId}`} className={tenantName.has(s.tenantId) ? 'small' : 'mono small'}>
                          {tenantName.get(s.tenantId) ?? s.tenantId}
                        </Link>
                      </td>
                    )}
                    <td><Sparkline values={cpu.get(s.id) ?? []} max={planCores.get(s.planId) ?? 1} label={`CPU of ${s.hostname} over the last hour`} /></td>
                    <td className="muted">{formatDate(s.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {nextHref && <p className="table-foot"><Link href={nextHref} className="btn btn-small">Next page</Link></p>}
        </div>
      )}
    </>
  );
}
