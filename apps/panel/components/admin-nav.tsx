import Link from 'next/link';

export function AdminNav({ current }: { current: 'hosts' | 'operations' | 'audit' }) {
  const items = [['hosts', '/admin', 'Hosts'], ['operations', '/admin/operations', 'Failed operations'], ['audit', '/admin/audit', 'Audit log']] as const;
  return (
    <nav aria-label="Admin" className="button-row">
      {items.map(([key, href, label]) => (
        <Link key={key} href={href} className="btn btn-small" aria-current={current === key ? 'page' : undefined}>{label}</Link>
      ))}
    </nav>
  );
}
