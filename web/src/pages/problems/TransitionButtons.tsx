/**
 * The steps a user may take on a problem, as buttons: exactly the server's `allowedTransitions`, so a
 * step the user may not take has no button. A step that needs more (assign: unit and deadline;
 * submit, reject: a reason) opens a small form first.
 */
import { useState } from 'react';
import { api } from '../../api';
import { ErrorBox } from '../../components';
import { useT } from '../../i18n';
import { useUnitDirectory } from '../tasks/units';
import { NEEDS_REASON, type Problem, type ProblemDetail, type Transition } from './types';

/** Tomorrow plus a fortnight, as YYYY-MM-DD: a sensible first deadline. */
function defaultDeadline(now = new Date()): string {
  const d = new Date(now.getTime() + 15 * 86_400_000);
  return d.toISOString().slice(0, 10);
}

export function TransitionButtons({ problem, onDone }: { problem: Problem; onDone(p: ProblemDetail): void }) {
  const t = useT();
  const units = useUnitDirectory();
  const [open, setOpen] = useState<Transition | null>(null);
  const [unit, setUnit] = useState(problem.assignedUnit ?? problem.orgUnit);
  const [deadline, setDeadline] = useState(defaultDeadline());
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (problem.allowedTransitions.length === 0) return null;

  const run = async (transition: Transition) => {
    setError(null);
    if (NEEDS_REASON.has(transition) && !reason.trim()) return setMissing(t('problems.form.needReason'));
    if (transition === 'assign' && !unit) return setMissing(t('problems.form.needUnit'));
    if (transition === 'assign' && !deadline) return setMissing(t('problems.form.needDeadline'));
    setMissing(null);
    setBusy(true);
    try {
      const updated = await api.send<ProblemDetail>('POST', `/problems/${problem.id}/transitions`, {
        transition,
        ...(reason.trim() && { reason: reason.trim() }),
        ...(transition === 'assign' && { assignedUnit: unit, deadline }),
      });
      setOpen(null);
      setReason('');
      onDone(updated);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // The unit it is about first, then the city's counties and departments.
  const choices = [
    { code: problem.orgUnit, label: problem.orgUnitName },
    ...units.units.filter((u) => u.code !== problem.orgUnit).map((u) => ({ code: u.code, label: units.name(u.code) })),
  ];

  return (
    <div className="problem-actions-wrap">
      {open === null ? (
        <div className="problem-actions" data-testid={`actions-${problem.id}`}>
          {problem.allowedTransitions.map((tr) => (
            <button
              key={tr}
              type="button"
              className={`btn btn-small ${tr === 'close' || tr === 'assign' ? 'btn-primary' : ''}`}
              data-transition={tr}
              onClick={() => {
                setMissing(null);
                setError(null);
                setOpen(tr);
              }}
            >
              {t(`problems.t.${tr}`)}
            </button>
          ))}
        </div>
      ) : (
        <form
          className="transition-form"
          data-testid={`transition-form-${problem.id}`}
          onSubmit={(e) => {
            e.preventDefault();
            void run(open);
          }}
        >
          <strong>{t(`problems.t.${open}`)}</strong>
          {open === 'assign' && (
            <>
              <label>
                {t('problems.form.assignedUnit')}
                <select value={unit} data-testid="assign-unit" onChange={(e) => setUnit(e.target.value)}>
                  {choices.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('problems.form.deadline')}
                <input
                  type="date"
                  value={deadline}
                  data-testid="assign-deadline"
                  onChange={(e) => setDeadline(e.target.value)}
                />
              </label>
            </>
          )}
          <label>
            {NEEDS_REASON.has(open) ? t('problems.form.reasonRequired') : t('problems.form.reason')}
            <textarea
              value={reason}
              data-testid="transition-reason"
              aria-invalid={missing !== null && NEEDS_REASON.has(open) && !reason.trim() ? true : undefined}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
          {missing && (
            <p className="entry-msg error" role="alert">
              {missing}
            </p>
          )}
          {error !== null && <ErrorBox error={error} />}
          <div className="problem-actions">
            <button
              type="submit"
              className="btn btn-small btn-primary"
              disabled={busy}
              data-testid="transition-confirm"
            >
              {t('problems.form.confirm')}
            </button>
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => setOpen(null)}>
              {t('problems.form.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
