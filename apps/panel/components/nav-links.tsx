'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/servers', label: 'Servers', exact: false },
  { href: '/servers/new', label: 'New server', exact: true },
  { href: '/account', label: 'Account', exact: false },
];

export function NavLinks({ role = 'customer', subUser = false, billing = true }: { role?: string; subUser?: boolean; billing?: boolean }) {
  const pathname = usePathname();
  const plans = { href: '/plans', label: 'Plans', exact: false };
  const base = billing ? [...LINKS, { href: '/billing', label: 'Billing', exact: false }] : LINKS;
  // Sub-users act inside one account: no reseller or admin pages.
  const links = subUser ? base : role === 'admin' ? [...base, plans, { href: '/admin', label: 'Admin', exact: false }]
    : role === 'reseller' ? [...base, { href: '/customers', label: 'Customers', exact: false }, plans] : base;
  const isCurrent = (href: string, exact: boolean) =>
    exact ? pathname === href : pathname === href || (pathname.startsWith(`${href}/`) && pathname !== '/servers/new');
  return (
    <nav aria-label="Main" className="nav">
      {links.map((l) => (
        <Link key={l.href} href={l.href} aria-current={isCurrent(l.href, l.exact) ? 'page' : undefined}>
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
