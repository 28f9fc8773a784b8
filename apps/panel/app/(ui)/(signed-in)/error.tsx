'use client';

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="card empty">
      <h1>Something went wrong</h1>
      <p className="muted">The page could not be loaded. The error has been logged.</p>
      <button type="button" className="btn" onClick={reset}>Try again</button>
    </div>
  );
}
