'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/servers', label: 'Servers', exact: false },
  { href: '/servers/new', label: 'New server', exact: true },
  { href: '/account', label: 'Account', exact: false },
];

export function NavLinks({ role = 'customer' }: { role?: string }) {
  const pathname = usePathname();
  const plans = { href: '/plans', label: 'Plans', exact: false };
  const links = role === 'admin' ? [...LINKS, plans, { href: '/admin', label: 'Admin', exact: false }]
    : role === 'reseller' ? [...LINKS, { href: '/customers', label: 'Customers', exact: false }, plans] : LINKS;
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
