import Link from 'next/link';
import { NavLinks } from './nav-links.tsx';
import { SignOutButton } from './sign-out-button.tsx';

export function TopBar({ role, subUser = false, billing = true }: { role?: string; subUser?: boolean; billing?: boolean }) {
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link href="/servers" className="brand">Berth</Link>
        <NavLinks role={role} subUser={subUser} billing={billing} />
        <div className="topbar-end"><SignOutButton /></div>
      </div>
    </header>
  );
}
