'use client';
import { useEffect, useState } from 'react';
import type { TMetricPoint, TServerMetrics } from '@berth/contracts';
import { callApi, problemMessage } from './api-client.ts';

type TRange = 'hour' | 'day' | 'month';
type TSeries = { key: keyof TMetricPoint; label: string; unit: (v: number) => string; max?: number };

const bytes = (v: number) => (v >= 2 ** 30 ? `${(v / 2 ** 30).toFixed(1)} GB` : v >= 2 ** 20 ? `${(v / 2 ** 20).toFixed(1)} MB` : `${(v / 1024).toFixed(0)} KB`);
const rate = (v: number) => `${bytes(v)}/s`;

/** A small SVG line chart: no chart library, the same look in every browser. */
function Chart({ points, series, capacity }: { points: TMetricPoint[]; series: TSeries[]; capacity?: number }) {
  const W = 320;
  const H = 90;
  const ts = points.map((p) => Date.parse(p.at));
  const t0 = Math.min(...ts);
  const t1 = Math.max(...ts, t0 + 1);
  const max = Math.max(capacity ?? 0, ...series.flatMap((s) => points.map((p) => Number(p[s.key]))), 1e-9);
  const x = (t: number) => ((t - t0) / (t1 - t0)) * W;
  const y = (v: number) => H - (v / max) * (H - 4) - 2;
  const last = points.at(-1);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={series.map((s) => s.label).join(' and ')} preserveAspectRatio="none">
        {series.map((s, i) => (
          <polyline key={s.key} className={`line line-${i}`} fill="none" points={points.map((p, j) => `${x(ts[j]!).toFixed(1)},${y(Number(p[s.key])).toFixed(1)}`).join(' ')} />
        ))}
      </svg>
      <figcaption>
        {series.map((s, i) => (
          <span key={s.key} className={`legend legend-${i}`}>{s.label} {last ? s.unit(Number(last[s.key])) : '—'}</span>
        ))}
      </figcaption>
    </figure>
  );
}

/** CPU, memory, disk, IO and network of the last hour, day or month (GET /servers/{id}/metrics). */
export function ServerGraphs({ serverId, cpuCores, memoryMb, diskGb }: { serverId: string; cpuCores: number; memoryMb: number; diskGb: number }) {
  const [range, setRange] = useState<TRange>('hour');
  const [data, setData] = useState<TServerMetrics | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const r = await callApi<TServerMetrics>(`/api/v1/servers/${serverId}/metrics?range=${range}`);
      if (!live) return;
      if (r.ok) { setData(r.data); setError(null); } else setError(problemMessage(r.problem));
    };
    void load();
    const timer = setInterval(load, 30_000);
    return () => { live = false; clearInterval(timer); };
  }, [serverId, range]);

  const points = data?.range === range ? data.points : [];
  return (
    <div className="stack-sm">
      <div className="button-row" role="group" aria-label="Graph range">
        {(['hour', 'day', 'month'] as const).map((r) => (
          <button key={r} type="button" className="btn btn-small" aria-pressed={r === range} onClick={() => setRange(r)}>Last {r}</button>
        ))}
      </div>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {points.length < 2 ? (
        <p className="muted">No data for this period yet: graphs fill in while the server runs.</p>
      ) : (
        <div className="charts" data-testid="graphs">
          <Chart points={points} capacity={cpuCores} series={[{ key: 'cpuCores', label: 'CPU', unit: (v) => `${v.toFixed(2)} of ${cpuCores} cores` }]} />
          <Chart points={points} capacity={memoryMb * 2 ** 20} series={[{ key: 'memoryBytes', label: 'Memory', unit: bytes }]} />
          <Chart points={points} capacity={diskGb * 2 ** 30} series={[{ key: 'diskUsedBytes', label: 'Disk', unit: bytes }]} />
          <Chart points={points} series={[{ key: 'ioReadBps', label: 'Read', unit: rate }, { key: 'ioWriteBps', label: 'Write', unit: rate }]} />
          <Chart points={points} series={[{ key: 'netRxBps', label: 'In', unit: rate }, { key: 'netTxBps', label: 'Out', unit: rate }]} />
        </div>
      )}
    </div>
  );
}
