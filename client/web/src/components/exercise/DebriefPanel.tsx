import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../common/common';

/**
 * The debrief (RETEX) on the Animation tab: its picture — injects and the cell's first reactions
 * on the timeline's lanes — drawn by the server (`?format=svg`, the same geometry as the PDF), and
 * the Markdown, PDF and JSON to download, nominative or anonymised. `version` changes when the
 * exercise does (an inject fired, an observation recorded), so the picture follows; the cell's
 * reactions are not in the animators' state, hence "Redraw".
 */
export function DebriefPanel({ incidentId, version }: { incidentId: string; version: string }) {
  const i18n = useI18n();
  const w = i18n.t.exercise;
  const [anonymised, setAnonymised] = useState(false);
  const [redraws, setRedraws] = useState(0);
  const url = (format: 'svg' | 'md' | 'pdf' | 'json') => {
    const query = new URLSearchParams({ format, lang: i18n.lang, audience: anonymised ? 'anonymised' : 'nominative' });
    return `/api/incidents/${encodeURIComponent(incidentId)}/exercise/debrief?${query.toString()}`;
  };
  const svgUrl = url('svg');
  const [picture, setPicture] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    // Fetched, then shown as a data: URL (the page's CSP allows images from 'self' and data: only):
    // asked again when the exercise moves or on "Redraw"; a failed fetch keeps the last picture.
    fetch(svgUrl, { credentials: 'same-origin' })
      .then((res) => (res.ok ? res.text() : null))
      .then((svg) => alive && svg !== null && setPicture(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [svgUrl, version, redraws]);
  return (
    <section class="card-box exercise-debrief" aria-labelledby="debrief-title" data-testid="debrief">
      <h3 id="debrief-title">{w.debriefTitle}</h3>
      <p class="muted">{w.debriefNote}</p>
      <label class="inline">
        <input type="checkbox" checked={anonymised} onChange={(e) => setAnonymised(e.currentTarget.checked)} /> {w.debriefAnonymised}
      </label>
      <p class="debrief-downloads">
        {(['pdf', 'md', 'json'] as const).map((format) => (
          <a key={format} href={url(format)} download data-testid={`debrief-${format}`}>
            {w.debriefDownload(format.toUpperCase())}
          </a>
        ))}
        <button type="button" onClick={() => setRedraws((n) => n + 1)} data-testid="debrief-redraw">
          {w.debriefRedraw}
        </button>
      </p>
      {picture && <img class="debrief-picture" src={picture} alt={w.debriefPictureAlt} data-testid="debrief-picture" />}
    </section>
  );
}
