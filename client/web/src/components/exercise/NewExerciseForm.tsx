import { useEffect, useState } from 'preact/hooks';
import type { ScenarioSummary } from '../../../../../shared/exercise/scenario';
import { TEMPLATE_LANGUAGES, type TemplateLanguage } from '../../../../../shared/templates/incidentTemplate';
import { createExercise, listScenarios } from '../../exerciseApi';
import { navigate } from '../../router';
import { useI18n } from '../common/common';
import { refusal } from './exerciseHooks';
import './exercise.css';

/**
 * Prepares an exercise from one of the server's scenarios, apart from the real incident form (an
 * exercise is never a real incident, nor becomes one). Folded: the list page is for the real day
 * first. Nothing when the server has no scenario.
 */
export function NewExerciseForm() {
  const i18n = useI18n();
  const { t } = i18n;
  const w = t.exercise;
  const [scenarios, setScenarios] = useState<ScenarioSummary[]>([]);
  const [scenarioId, setScenarioId] = useState('');
  const [title, setTitle] = useState('');
  const [language, setLanguage] = useState<TemplateLanguage>(i18n.lang);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    void listScenarios().then((l) => {
      if (!alive) return;
      setScenarios(l);
      setScenarioId((id) => id || (l[0]?.id ?? ''));
    }, () => undefined);
    return () => {
      alive = false;
    };
  }, []);
  if (scenarios.length === 0) return null;
  const scenario = scenarios.find((s) => s.id === scenarioId) ?? null;
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (!scenario || !title.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const meta = await createExercise({ title: title.trim(), scenario: scenario.id, language });
      navigate({ page: 'room', incidentId: meta.id, view: 'members' });
    } catch (err) {
      setError(`${w.newFailed}${t.colon} ${refusal(t, err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="card-box new-exercise" data-testid="new-exercise">
      <summary>
        <h2 class="inline-heading">{w.newTitle}</h2>
      </summary>
      <p class="muted">{w.newHelp}</p>
      <form class="new-incident" onSubmit={(ev) => void submit(ev)}>
        <label class="field grow">
          <span>{w.newName}</span>
          <input required maxLength={300} value={title} data-testid="exercise-title" onInput={(ev) => setTitle(ev.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{w.newScenario}</span>
          <select value={scenarioId} data-testid="exercise-scenario" onChange={(ev) => setScenarioId(ev.currentTarget.value)}>
            {scenarios.map((s) => (
              <option value={s.id}>{s.name[i18n.lang]}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{w.newLanguage}</span>
          <select value={language} data-testid="exercise-language" onChange={(ev) => setLanguage(ev.currentTarget.value as TemplateLanguage)}>
            {TEMPLATE_LANGUAGES.map((l) => (
              <option value={l}>{l.toUpperCase()}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary" disabled={busy || !title.trim() || !scenario} data-testid="exercise-create">
          {w.newCreate}
        </button>
      </form>
      {scenario && (
        <p class="muted">
          {scenario.description[i18n.lang]} — {w.scenarioSummary(String(scenario.durationMinutes), scenario.injectCount)}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
