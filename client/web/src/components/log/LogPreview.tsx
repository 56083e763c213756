import { useEffect, useMemo, useState } from 'preact/hooks';
import type { LogLatest } from '../../../../../shared/protocol/logPage';
import type { LogEntry } from '../../../../../shared/model/log';
import type { IncidentSession } from '../../../../sdk/incidentSession';
import { useSignal } from '../../connection';
import { useSettings } from '../../settings';
import { VirtualList } from '../common/VirtualList';
import { useI18n } from '../common/common';
import { useShown } from '../common/useShown';
import { LogRow } from './LogRow';
import { type LogPreviewKeep, fetchLatestEntries, previewLinks } from './latestEntries';

const nothing = () => undefined;

/**
 * While the log's document has neither synced nor any entry (a first join, or a large log still
 * arriving): the newest entries from REST, those the room kept from its first screen or fetched
 * here (the tab opened later). `waiting` says the log is not known yet, so an empty list is not
 * "the log is empty".
 */
export function useFirstScreen(preview: LogPreviewKeep | undefined, session: IncidentSession, empty: boolean): { page: LogLatest | null; waiting: boolean } {
  const logSync = session.syncs.log;
  useSignal(useMemo(() => (n: () => void) => logSync.on('synced', n), [logSync]));
  const waiting = empty && !logSync.isSynced;
  const kept = preview?.current?.incidentId === session.incidentId ? preview.current : null;
  const [fetched, setFetched] = useState<LogLatest | null>(null);
  useEffect(() => {
    if (!waiting || kept) return undefined;
    let alive = true;
    fetchLatestEntries(session.incidentId).then(
      (latest) => alive && setFetched(latest),
      () => undefined, // offline: the local copy, then the join, will do
    );
    return () => {
      alive = false;
    };
  }, [waiting, kept, session]);
  useEffect(() => {
    if (preview && logSync.isSynced) preview.current = null;
  });
  const page = kept ?? fetched;
  return { page: page && page.total > 0 && waiting ? page : null, waiting };
}

/**
 * The log's newest entries from REST, read only, while its document opens and syncs: the same
 * rows as the live view, with the whole count; search, filters and writing wait for the live
 * log, which replaces this as soon as it has entries.
 */
export function LogPreview({ page }: { page: LogLatest }) {
  const { t } = useI18n();
  const settings = useSettings();
  const links = useMemo(() => previewLinks(page), [page]);
  const rows = useMemo(() => (settings.newestFirst ? page.entries.slice().reverse() : page.entries), [page, settings.newestFirst]);
  const [historyOpen, setHistoryOpen] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const render = (e: LogEntry) => {
    const verification = page.verifications[e.id];
    return (
      <LogRow
        entry={e}
        verification={verification?.state ?? e.verification}
        history={verification?.history ?? []}
        historyOpen={historyOpen === e.id}
        onToggleHistory={() => setHistoryOpen(historyOpen === e.id ? null : e.id)}
        onVerify={nothing}
        original={e.amends ? links.byId.get(e.amends) ?? null : null}
        corrections={links.amendments.get(e.id) ?? null}
        waiting={false}
        highlighted={false}
        readOnly
        expanded={expanded.has(e.id)}
        onToggleExpand={() => {
          const next = new Set(expanded);
          if (!next.delete(e.id)) next.add(e.id);
          setExpanded(next);
        }}
        onAmend={nothing}
        onReply={nothing}
        onTask={nothing}
        answered={e.replyTo ? links.byId.get(e.replyTo) ?? null : null}
        onShowAnswered={nothing}
      />
    );
  };
  return (
    <section class="log-view" aria-label={t.logLabel} aria-busy="true" data-testid="log-preview">
      <div class="toolbar log-toolbar">
        <p class="loading grow" role="status">
          {t.logOpening}
        </p>
        <div class="toolbar-end">
          <span class="count" data-testid="log-count" data-total={page.total}>
            {t.entries(page.total)}
            {page.entries.length < page.total && ` · ${t.shown(page.entries.length)}`}
          </span>
        </div>
      </div>
      <VirtualList items={rows} itemKey={(e) => e.id} render={render} estimate={62} anchor={settings.newestFirst ? 'top' : 'bottom'} label={t.logLabel} id="log-list" />
    </section>
  );
}

/**
 * The log tab while the incident's documents open: its newest entries fetched and drawn first;
 * once they are on screen (or could not be fetched: offline, the local copy will do) the
 * documents open, and the room comes around them.
 */
export function LogFirstScreen({ incidentId, keep, onShown }: { incidentId: string; keep: LogPreviewKeep; onShown: () => void }) {
  const [page, setPage] = useState<LogLatest | null>(keep.current?.incidentId === incidentId ? keep.current : null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let alive = true;
    fetchLatestEntries(incidentId).then(
      (latest) => {
        keep.current = latest;
        if (alive) setPage(latest);
      },
      () => alive && setFailed(true),
    );
    return () => {
      alive = false;
    };
  }, [incidentId, keep]);
  useShown(page !== null || failed, onShown);
  return page && page.total > 0 ? <LogPreview page={page} /> : null;
}
