import Link from 'next/link';

export default function ServerNotFound() {
  return (
    <div className="card empty">
      <h1>Server not found</h1>
      <p className="muted">It does not exist, or it belongs to another account.</p>
      <Link href="/servers" className="btn">Back to servers</Link>
    </div>
  );
}
