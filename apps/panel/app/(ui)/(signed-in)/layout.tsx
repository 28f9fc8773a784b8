import type { ReactNode } from 'react';
import { TopBar } from '../../../components/top-bar.tsx';
import { requireSession } from '../../../server/ui-session.ts';

// Pages check the session themselves too: a layout is not re-run on every client navigation.
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const { principal } = await requireSession();
  return (
    <>
      <TopBar role={principal.role} subUser={!!principal.subUser}
        billing={!principal.subUser || !!principal.tenantPermissions?.includes('billing')} />
      <main className="page">{children}</main>
    </>
  );
}
