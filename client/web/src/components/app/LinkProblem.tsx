import { useEffect } from 'preact/hooks';
import { useI18n } from '../common/common';

/**
 * An incident link that leads nowhere: `malformed` (the address holds no incident id: cut or
 * damaged in a message) or `unknown` (a well-formed id this server does not know). Said so in
 * words, with the way back, instead of showing the incident list as if nothing had happened.
 */
export function LinkProblem({ kind, id }: { kind: 'malformed' | 'unknown'; id: string }) {
  const { t } = useI18n();
  const w = t.friction;
  const title = kind === 'malformed' ? w.badLinkTitle : w.noIncidentTitle;
  useEffect(() => {
    document.title = `${title} — ${t.appTitle}`;
  }, [title, t]);
  return (
    <main class="list-page" data-testid="link-problem" data-kind={kind}>
      <h1>{title}</h1>
      <p class="banner warn" role="alert">
        {kind === 'malformed' ? w.badLinkText(id) : w.noIncidentText(id)}
      </p>
      <p>
        <a class="back" href="#/" data-testid="link-problem-list">
          ← {w.toList}
        </a>
      </p>
    </main>
  );
}
