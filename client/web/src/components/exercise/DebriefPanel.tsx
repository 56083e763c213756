import { useState } from 'preact/hooks';
import { useI18n } from '../common/common';

/**
 * The debrief (RETEX) on the Animation tab: its picture — injects and the cell's first reactions
 * on the timeline's lanes — drawn by the server (`?format=svg`, the same geometry as the PDF), and
 * the Markdown, PDF and JSON to download, nominative or anonymised. `version` changes when the
 * exercise does (an inject fired, an observation recorded), so the picture follows.
 */
export function DebriefPanel({ incidentId, version }: { incidentId: string; version: string }) {
  const i18n = useI18n();
  const w = i18n.t.exercise;
  const [anonymised, setAnonymised] = useState(false);
  const url = (format: 'svg' | 'md' | 'pdf' | 'json') => {
    const query = new URLSearchParams({ format, lang: i18n.lang, audience: anonymised ? 'anonymised' : 'nominative' });
    return `/api/incidents/${encodeURIComponent(incidentId)}/exercise/debrief?${query.toString()}`;
  };
  return (
    <section class="exercise-debrief" aria-labelledby="debrief-title" data-testid="debrief">
      <h3 id="debrief-title">{w.debriefTitle}</h3>
      <p class="muted">{w.debriefNote}</p>
      <label class="inline">
        <input type="checkbox" checked={anonymised} onChange={(e) => setAnonymised(e.currentTarget.checked)} /> {w.debriefAnonymised}
      </label>
      <p class="debrief-downloads">
        {(['pdf', 'md', 'json'] as const).map((format) => (
          <a key={format} class="button" href={url(format)} download data-testid={`debrief-${format}`}>
            {w.debriefDownload(format.toUpperCase())}
          </a>
        ))}
      </p>
      <img class="debrief-picture" src={`${url('svg')}&v=${encodeURIComponent(version)}`} alt={w.debriefPictureAlt} data-testid="debrief-picture" />
    </section>
  );
}
