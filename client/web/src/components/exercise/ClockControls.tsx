import { useState } from 'preact/hooks';
import type { ExerciseClock } from '../../../../../shared/exercise/exerciseState';
import type { ClockMove } from '../../exerciseApi';
import { useI18n, useNow } from '../common/common';
import { exerciseSecondsAt, factorText, hoursMinutes } from './exerciseHooks';

const SPEEDS = [1, 2, 5, 10, 60] as const;

/** Start, pause, resume, and the pace of the exercise clock: the animators' alone. */
export function ClockControls({ clock, durationMinutes, onMove, onSpeed }: { clock: ExerciseClock; durationMinutes: number; onMove: (m: ClockMove) => void; onSpeed: (factor: number) => void }) {
  const i18n = useI18n();
  const w = i18n.t.exercise;
  const now = useNow(1_000);
  const [custom, setCustom] = useState('');
  const customFactor = Number(custom.replace(',', '.'));
  const customOk = custom.trim() !== '' && Number.isFinite(customFactor) && customFactor > 0 && customFactor <= 3_600;
  return (
    <section class="card-box" aria-labelledby="clock-title" data-testid="clock-controls" data-status={clock.status}>
      <h2 id="clock-title">{w.clockTitle}</h2>
      <p>
        <strong data-testid="clock-status">{w.clockStatus[clock.status]}</strong> · <span class="exercise-time">{w.time(hoursMinutes(exerciseSecondsAt(clock, now)))}</span> · {w.speedCurrent(factorText(i18n, clock.factor))} ·{' '}
        <span class="muted">{w.duration(String(durationMinutes))}</span>
      </p>
      <div class="row">
        {clock.status === 'ready' && (
          <button type="button" class="primary" data-testid="clock-start" onClick={() => onMove('start')}>
            {w.start}
          </button>
        )}
        {clock.status === 'running' && (
          <button type="button" data-testid="clock-pause" onClick={() => onMove('pause')}>
            {w.pause}
          </button>
        )}
        {clock.status === 'paused' && (
          <button type="button" class="primary" data-testid="clock-resume" onClick={() => onMove('resume')}>
            {w.resume}
          </button>
        )}
      </div>
      <div class="row" role="group" aria-label={w.speedLabel}>
        {SPEEDS.map((f) => (
          <button type="button" class={clock.factor === f ? 'primary' : ''} aria-pressed={clock.factor === f} data-testid={`speed-${f}`} onClick={() => onSpeed(f)}>
            ×{f}
          </button>
        ))}
        <form
          class="row speed-set"
          onSubmit={(ev) => {
            ev.preventDefault();
            if (!customOk) return;
            onSpeed(customFactor);
            setCustom('');
          }}
        >
          <label class="field">
            <span>{w.speedCustom}</span>
            <input type="text" inputMode="decimal" value={custom} data-testid="speed-custom" onInput={(ev) => setCustom(ev.currentTarget.value)} />
          </label>
          <button type="submit" disabled={!customOk}>
            {w.speedSet}
          </button>
        </form>
      </div>
    </section>
  );
}
