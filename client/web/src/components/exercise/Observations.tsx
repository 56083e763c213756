import { useState } from 'preact/hooks';
import type { ExerciseInject, Observation } from '../../../../../shared/exercise/exerciseState';
import { useI18n } from '../common/common';
import { hoursMinutes } from './exerciseHooks';

/** The evaluators' notes: a quick form (optionally about one inject) and the list, real and exercise time. */
export function Observations({ observations, injects, onRecord }: { observations: Observation[]; injects: ExerciseInject[]; onRecord: (input: { text: string; injectId: string | null }) => Promise<boolean> }) {
  const i18n = useI18n();
  const w = i18n.t.exercise;
  const [text, setText] = useState('');
  const [injectId, setInjectId] = useState('');
  const [busy, setBusy] = useState(false);
  const byId = new Map(injects.map((i) => [i.id, i]));
  const newest = [...observations].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <section class="card-box" aria-labelledby="observations-title">
      <h2 id="observations-title">{w.observationsTitle}</h2>
      <form
        data-testid="observation-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (text.trim() === '' || busy) return;
          setBusy(true);
          void onRecord({ text: text.trim(), injectId: injectId === '' ? null : injectId }).then((ok) => {
            setBusy(false);
            if (ok) setText('');
          });
        }}
      >
        <label class="field">
          <span>{w.observationText}</span>
          <textarea value={text} maxLength={10_000} data-testid="observation-text" onInput={(ev) => setText(ev.currentTarget.value)} />
        </label>
        <div class="row">
          <label class="field grow">
            <span>{w.observationInject}</span>
            <select value={injectId} data-testid="observation-inject" onChange={(ev) => setInjectId(ev.currentTarget.value)}>
              <option value="">{w.observationNoInject}</option>
              {injects.map((i) => (
                <option value={i.id}>
                  {w.time(hoursMinutes(i.offsetSeconds))} — {i.from}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="primary" disabled={text.trim() === '' || busy} data-testid="observation-save">
            {w.observationSave}
          </button>
        </div>
      </form>
      {newest.length === 0 ? (
        <p class="muted">{w.observationsNone}</p>
      ) : (
        <ul class="observation-list" data-testid="observations">
          {newest.map((o) => {
            const inject = o.injectId ? byId.get(o.injectId) : undefined;
            return (
              <li key={o.id} data-testid="observation">
                <span class="when">
                  {w.observationAt(i18n.time(o.at), w.time(hoursMinutes(o.exerciseSeconds)))} · {o.author}
                  {inject && ` · ${inject.from} (${w.time(hoursMinutes(inject.offsetSeconds))})`}
                </span>
                <p>{o.text}</p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
