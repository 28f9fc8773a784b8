import type { ReactNode } from 'react';

export const metadata = { title: 'Berth', description: 'VPS hosting control panel' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
