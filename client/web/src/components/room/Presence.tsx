import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../common/common';
import { type PresentPerson, initials } from './roomHooks';

/** More people than this and the rest are counted in one "+N" chip (its title names them); fewer on a phone or a tablet, where chips are initials. */
const MAX_SHOWN = 6;
const MAX_SHOWN_PHONE = 3;
const NARROW = '(max-width: 900px)';

function useMatches(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const changed = () => setMatches(list.matches);
    list.addEventListener('change', changed);
    return () => list.removeEventListener('change', changed);
  }, [query]);
  return matches;
}

/**
 * Who is here, as chips: me first, then the others with the view they are in. On a narrow screen
 * the chips shrink to their initials (CSS); past a few people the rest are counted, never piled up.
 */
export function Presence({ people, viewName }: { people: PresentPerson[]; viewName: (v: string) => string }) {
  const { t } = useI18n();
  const max = useMatches(NARROW) ? MAX_SHOWN_PHONE : MAX_SHOWN;
  const shown = people.slice(0, max);
  const rest = people.slice(max);
  return (
    <ul class="presence" aria-label={t.presence} data-testid="presence">
      {shown.map((p) => (
        <li class={`person${p.me ? ' me' : ''}`} data-name={p.name} data-view={p.view} title={`${p.name} — ${t.inView} ${viewName(p.view)}`}>
          <span class="avatar" aria-hidden="true">
            {initials(p.name)}
          </span>
          {p.me ? (
            <span class="person-name">
              {t.you}
              <span class="sr-only"> ({p.name})</span>
            </span>
          ) : (
            <>
              <span class="person-name">{p.name}</span>
              <span class="person-view">{viewName(p.view)}</span>
            </>
          )}
        </li>
      ))}
      {rest.length > 0 && (
        <li class="person more" data-testid="presence-more" title={rest.map((p) => p.name).join(', ')}>
          <span aria-hidden="true">{t.layout.presenceMore(rest.length)}</span>
          <span class="sr-only">{t.layout.morePresent(rest.length)}</span>
        </li>
      )}
    </ul>
  );
}
