import Link from 'next/link';

type TSection = 'hosts' | 'tenants' | 'operations' | 'audit';

export function AdminNav({ current }: { current: TSection }) {
  const items: [TSection, string, string][] = [
    ['hosts', '/admin', 'Hosts'], ['tenants', '/admin/tenants', 'Tenants and users'],
    ['operations', '/admin/operations', 'Failed operations'], ['audit', '/admin/audit', 'Audit log'],
  ];
  return (
    <nav aria-label="Admin" className="button-row">
      {items.map(([key, href, label]) => (
        <Link key={key} href={href} className="btn btn-small" aria-current={current === key ? 'page' : undefined}>{label}</Link>
      ))}
    </nav>
  );
}
