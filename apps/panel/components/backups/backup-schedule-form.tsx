'use client';
import { useState, type FormEvent } from 'react';
import type { TBackupSchedule } from '@berth/contracts';
import { FieldError } from '../field-error.tsx';
import { formatDate } from '../format.ts';
import { problemFields, type TFieldMessages } from '../problem-fields.ts';
import { useApiCall } from './use-api-call.ts';

const FIELDS = ['enabled', 'hourUtc', 'keepDaily', 'keepWeekly', 'fullEvery'] as const;
type TField = (typeof FIELDS)[number];

/** A number as typed; anything else goes as typed so the API says what is wrong, next to the field. */
const num = (v: FormDataEntryValue | null) => {
  const s = String(v ?? '').trim();
  return s === '' || Number.isNaN(Number(s)) ? s : Number(s);
};

/** Daily backups at an hour (UTC) with their retention, or off; shows when the next one runs. */
export function BackupScheduleForm({ schedule }: { schedule: TBackupSchedule }) {
  const { busy, run } = useApiCall();
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setErrors({});
    setFormError(null);
    setSaved(false);
    const body = {
      enabled: f.get('enabled') === 'on', hourUtc: num(f.get('hourUtc')),
      keepDaily: num(f.get('keepDaily')), keepWeekly: num(f.get('keepWeekly')), fullEvery: num(f.get('fullEvery')),
    };
    const res = await run<TBackupSchedule>('save', `/api/v1/servers/${schedule.serverId}/backup-schedule`, { method: 'PUT', body });
    if (!res) return;
    if (res.ok) return setSaved(true);
    const { fields, other } = problemFields(res.problem, FIELDS);
    setErrors(fields);
    setFormError(other.length ? other.join(' ') : null);
  };

  const field = (name: TField, label: string, value: number, hint: string) => (
    <div className="field">
      <label htmlFor={`schedule-${name}`}>{label}</label>
      <input id={`schedule-${name}`} name={name} inputMode="numeric" defaultValue={value} className="input-small" aria-invalid={!!errors[name]}
        aria-describedby={errors[name] ? `schedule-${name}-error` : `schedule-${name}-hint`} />
      <p id={`schedule-${name}-hint`} className="hint">{hint}</p>
      <FieldError id={`schedule-${name}`} messages={errors[name]} />
    </div>
  );

  return (
    <form className="stack-sm" aria-label="Backup schedule" onSubmit={onSubmit} noValidate>
      {formError && <p className="alert alert-error" role="alert">{formError}</p>}
      <label className="check"><input type="checkbox" name="enabled" defaultChecked={schedule.enabled} /> Back up daily</label>
      <FieldError id="schedule-enabled" messages={errors.enabled} />
      <div className="form-grid">
        <div className="field">
          <label htmlFor="schedule-hourUtc">Hour (UTC)</label>
          <select id="schedule-hourUtc" name="hourUtc" defaultValue={schedule.hourUtc} aria-invalid={!!errors.hourUtc}
            aria-describedby={errors.hourUtc ? 'schedule-hourUtc-error' : undefined}>
            {Array.from({ length: 24 }, (_, h) => <option key={h} value={h}>{String(h).padStart(2, '0')}:00</option>)}
          </select>
          <FieldError id="schedule-hourUtc" messages={errors.hourUtc} />
        </div>
        {field('keepDaily', 'Keep daily', schedule.keepDaily, 'The newest of each of the last N days.')}
        {field('keepWeekly', 'Keep weekly', schedule.keepWeekly, 'The newest of each of the last N weeks.')}
        {field('fullEvery', 'Full every', schedule.fullEvery, 'A full backup after N incrementals.')}
      </div>
      <div className="section-actions">
        <button type="submit" className="btn" disabled={!!busy}>{busy ? 'Saving…' : 'Save schedule'}</button>
        <span className="hint" data-testid="schedule-next-run">
          {schedule.nextRunAt ? `Next run ${formatDate(schedule.nextRunAt)}` : 'Daily backups are off.'}
          {schedule.lastRunAt && ` · last run ${formatDate(schedule.lastRunAt)}`}
        </span>
        {schedule.nextVerifyAt && (
          <span className="hint" data-testid="schedule-next-verify" title="The newest backup is read back from the backup storage and every chunk checked">
            Newest backup verified next {formatDate(schedule.nextVerifyAt)}
          </span>
        )}
      </div>
      {saved && <p className="muted small" role="status">Schedule saved.</p>}
    </form>
  );
}
