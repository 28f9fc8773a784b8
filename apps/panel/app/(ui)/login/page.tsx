import { redirect } from 'next/navigation';
import { LoginForm } from '../../../components/login-form.tsx';
import { findSession } from '../../../server/ui-session.ts';

export const metadata = { title: 'Sign in' };

export default async function LoginPage() {
  if (await findSession()) redirect('/servers');
  return (
    <main className="login">
      <div className="login-card card">
        <p className="brand brand-large">Berth</p>
        <h1>Sign in</h1>
        <LoginForm />
      </div>
    </main>
  );
}
