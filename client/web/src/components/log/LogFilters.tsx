import { useState } from 'preact/hooks';
import { SEVERITIES, Severity } from '../../../../../shared/model/common';
import { LOG_CATEGORIES, LogCategory, VERIFICATION_STATES, Verification } from '../../../../../shared/model/log';
import { getSettings, updateSettings, useSettings } from '../../settings';
import { Kbd, useI18n } from '../common/common';
import { type Filters, NO_FILTERS } from './logIndex';

/** How many filters other than the search text are set (shown on the phone's folded filters button). */
function setCount(f: Filters): number {
  return [f.category, f.minSeverity, f.author, f.verification].filter((v) => v !== '').length + (f.keyOnly ? 1 : 0);
}

/**
 * The log's toolbar: search, filters, order, the count and the paper-mode switch. On a phone the
 * search and the count stay; the other filters fold behind one button (CSS shows the button
 * and hides the folded part below 700 px; on wider screens everything is always shown).
 */
export function LogFilters({
  filters,
  setFilters,
  authors,
  total,
  shown,
  readOnly,
  paperMode,
  setPaperMode,
}: {
  filters: Filters;
  setFilters: (f: Filters) => void;
  authors: string[];
  total: number;
  shown: number;
  readOnly: boolean;
  paperMode: boolean;
  setPaperMode: (on: boolean) => void;
}) {
  const { t, enums } = useI18n();
  const settings = useSettings();
  const [unfolded, setUnfolded] = useState(false);
  const filtering = shown !== total;
  return (
    <div class={`toolbar log-toolbar${unfolded ? ' unfolded' : ''}`} role="search">
      <label class="field grow search-field">
        <span>
          {t.filterText} <Kbd>Alt+R</Kbd>
        </span>
        <input id="log-search" type="search" value={filters.text} placeholder={t.filterTextPlaceholder} onInput={(e) => setFilters({ ...filters, text: e.currentTarget.value })} />
      </label>
      <button type="button" class="filters-toggle" data-testid="filters-toggle" aria-expanded={unfolded} aria-controls="log-filters" onClick={() => setUnfolded(!unfolded)}>
        {t.layout.filtersShown(setCount(filters))}
      </button>
      <div class="foldable" id="log-filters">
        <label class="field">
          <span>{t.filterCategory}</span>
          <select value={filters.category} onChange={(e) => setFilters({ ...filters, category: e.currentTarget.value as LogCategory | '' })}>
            <option value="">{t.all}</option>
            {LOG_CATEGORIES.map((c) => (
              <option value={c}>{enums.category[c]}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t.filterSeverity} ≥</span>
          <select value={filters.minSeverity} onChange={(e) => setFilters({ ...filters, minSeverity: e.currentTarget.value as Severity | '' })}>
            <option value="">{t.all}</option>
            {SEVERITIES.map((s) => (
              <option value={s}>{enums.severity[s]}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t.filterAuthor}</span>
          <select value={filters.author} onChange={(e) => setFilters({ ...filters, author: e.currentTarget.value })}>
            <option value="">{t.allAuthors}</option>
            {authors.map((a) => (
              <option value={a}>{a}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t.filterVerification}</span>
          <select data-testid="filter-verification" value={filters.verification} onChange={(e) => setFilters({ ...filters, verification: e.currentTarget.value as Verification | '' })}>
            <option value="">{t.all}</option>
            {VERIFICATION_STATES.map((v) => (
              <option value={v}>{enums.verification[v]}</option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" data-testid="key-only" checked={filters.keyOnly} onChange={(e) => setFilters({ ...filters, keyOnly: e.currentTarget.checked })} />
          <span>★ {t.keyOnly}</span>
        </label>
        {!readOnly && (
          <button type="button" class="ghost" data-testid="paper-mode" aria-pressed={paperMode} title={t.paperModeHelp} onClick={() => setPaperMode(!paperMode)}>
            ✍ {t.paperMode} <Kbd>Alt+P</Kbd>
          </button>
        )}
        {filtering && (
          <button type="button" class="ghost" onClick={() => setFilters(NO_FILTERS)}>
            {t.clearFilters}
          </button>
        )}
        <button type="button" class="ghost" aria-pressed={settings.newestFirst} onClick={() => updateSettings({ newestFirst: !getSettings().newestFirst })}>
          {settings.newestFirst ? `↑ ${t.newestTop}` : `↓ ${t.newestBottom}`}
        </button>
      </div>
      <div class="toolbar-end">
        <span class="count" data-testid="log-count" data-total={total}>
          {t.entries(total)}
          {filtering && ` · ${t.shown(shown)}`}
        </span>
      </div>
    </div>
  );
}
