import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: { default: 'Berth', template: '%s · Berth' }, description: 'VPS hosting control panel' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
