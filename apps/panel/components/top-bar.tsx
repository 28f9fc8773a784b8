import Link from 'next/link';
import { NavLinks } from './nav-links.tsx';
import { SignOutButton } from './sign-out-button.tsx';

export function TopBar({ admin = false }: { admin?: boolean }) {
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link href="/servers" className="brand">Berth</Link>
        <NavLinks admin={admin} />
        <div className="topbar-end"><SignOutButton /></div>
      </div>
    </header>
  );
}
