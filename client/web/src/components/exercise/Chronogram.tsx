import type { ExerciseInject } from '../../../../../shared/exercise/exerciseState';
import { useI18n } from '../common/common';
import { hoursMinutes } from './exerciseHooks';

/**
 * The chronogram as the animators and evaluators see it: every inject with its exercise time,
 * channel, sender, addressee, text, the reaction expected and what became of it. Animators fire
 * or skip what is still pending; evaluators only read.
 */
export function Chronogram({ injects, roleLabel, animate, onFire, onSkip }: { injects: ExerciseInject[]; roleLabel: (id: string) => string; animate: boolean; onFire: (id: string) => void; onSkip: (id: string) => void }) {
  const i18n = useI18n();
  const w = i18n.t.exercise;
  const sorted = [...injects].sort((a, b) => a.offsetSeconds - b.offsetSeconds);
  return (
    <section class="card-box" aria-labelledby="chronogram-title">
      <h2 id="chronogram-title">{w.chronogramTitle}</h2>
      <div class="chronogram-wrap">
        <table class="data-table chronogram" data-testid="chronogram">
          <thead>
            <tr>
              <th scope="col">{w.colOffset}</th>
              <th scope="col">{w.colChannel}</th>
              <th scope="col">{w.colFrom}</th>
              <th scope="col">{w.colTo}</th>
              <th scope="col">{w.colText}</th>
              <th scope="col">{w.colExpected}</th>
              <th scope="col">{w.colStatus}</th>
              {animate && <th scope="col">{w.colActions}</th>}
            </tr>
          </thead>
          <tbody>
            {sorted.map((inject) => (
              <tr key={inject.id} class={inject.status} data-testid="chronogram-inject" data-inject={inject.id} data-status={inject.status}>
                <td class="offset">{w.time(hoursMinutes(inject.offsetSeconds))}</td>
                <td>{w.channels[inject.channel]}</td>
                <td>{inject.from}</td>
                <td>{inject.to === null ? w.wholeCell : roleLabel(inject.to)}</td>
                <td class="text">
                  {inject.text}
                  {inject.improvised && <span class="muted"> ({w.improvised})</span>}
                </td>
                <td class="expected">{inject.expected}</td>
                <td>
                  <span class="inject-status">{w.status[inject.status]}</span>
                  {inject.firedAt && (
                    <div class="muted fired-at">
                      {w.firedAt(i18n.time(inject.firedAt))}
                      {inject.firedAtExerciseSeconds !== null && <br />}
                      {inject.firedAtExerciseSeconds !== null && w.time(hoursMinutes(inject.firedAtExerciseSeconds))}
                    </div>
                  )}
                </td>
                {animate && (
                  <td class="actions">
                    {inject.status === 'pending' && (
                      <div class="inject-actions">
                        <button type="button" class="small primary" data-testid="inject-fire" aria-label={w.fireLabel(inject.id)} onClick={() => onFire(inject.id)}>
                          {w.fire}
                        </button>
                        <button type="button" class="small" data-testid="inject-skip" aria-label={w.skipLabel(inject.id)} onClick={() => onSkip(inject.id)}>
                          {w.skip}
                        </button>
                      </div>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
