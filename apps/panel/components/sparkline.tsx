/** A tiny SVG line of values scaled to `max` (e.g. a server's CPU over the last hour against its cores). */
export function Sparkline({ values, max, label }: { values: number[]; max: number; label: string }) {
  const W = 96;
  const H = 24;
  const top = Math.max(max, ...values, 1e-9);
  const pts = values.map((v, i) => `${((i / Math.max(1, values.length - 1)) * W).toFixed(1)},${(H - 1 - (v / top) * (H - 2)).toFixed(1)}`).join(' ');
  const now = values.at(-2) ?? 0; // the last step is still filling
  return (
    <span className="sparkline">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label}>
        <polyline points={pts} fill="none" />
      </svg>
      <span className="muted small">{Math.round((now / Math.max(max, 1e-9)) * 100)}%</span>
    </span>
  );
}
