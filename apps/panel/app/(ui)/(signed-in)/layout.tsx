import type { ReactNode } from 'react';
import { TopBar } from '../../../components/top-bar.tsx';
import { requireSession } from '../../../server/ui-session.ts';

// Pages check the session themselves too: a layout is not re-run on every client navigation.
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  await requireSession();
  return (
    <>
      <TopBar />
      <main className="page">{children}</main>
    </>
  );
}
