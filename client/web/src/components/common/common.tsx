import { createContext, ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import type { Severity } from '../../../../../shared/model/common';
import type { LogCategory } from '../../../../../shared/model/log';
import type { Priority } from '../../../../../shared/model/tasks';
import type { DecisionStatus } from '../../../../../shared/model/decisions';
import type { ConnectionStatus } from '../../../../sdk/crisisClient';
import type { SessionEndCode } from '../../../../../shared/protocol/errors';
import { Dict, I18n } from '../../i18n';
import { updateSettings } from '../../settings';
import { reconnect } from '../../connection';

export const I18nContext = createContext<I18n>(new I18n('fr'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/**
 * Where "now" comes from. Inside an incident it is the session's server-corrected clock
 * (`session.now()`): due times are server times, and a browser clock a few minutes off would
 * show a report or a notification on time when it is late. Elsewhere, the browser's clock.
 */
export const ClockContext = createContext<() => Date>(() => new Date());

/** Gives the components below the incident session's server-corrected clock. */
export function ServerClock({ session, children }: { session: { now(): Date }; children: ComponentChildren }) {
  const clock = useMemo(() => () => session.now(), [session]);
  return <ClockContext.Provider value={clock}>{children}</ClockContext.Provider>;
}

/** The current time (see ClockContext), refreshed every `everyMs` (overdue marks, countdowns, elapsed time, wall clock). */
export function useNow(everyMs = 15_000): Date {
  const clock = useContext(ClockContext);
  const [now, setNow] = useState(() => clock());
  useEffect(() => {
    setNow(clock());
    const timer = setInterval(() => setNow(clock()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, clock]);
  return now;
}

export function CategoryBadge({ category }: { category: LogCategory }) {
  const { enums } = useI18n();
  return <span class={`badge cat-${category}`}>{enums.category[category]}</span>;
}

export function SeverityBadge({ severity, label }: { severity: Severity; label?: string }) {
  const { enums, t } = useI18n();
  return (
    <span class={`badge sev sev-${severity}`} title={`${label ?? t.severity}${t.colon} ${enums.severity[severity]}`}>
      <span class="sev-dot" aria-hidden="true" />
      {enums.severity[severity]}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { enums, t } = useI18n();
  return (
    <span class={`badge prio prio-${priority}`} title={`${t.priority}${t.colon} ${enums.priority[priority]}`}>
      {enums.priority[priority]}
    </span>
  );
}

export function DecisionBadge({ status }: { status: DecisionStatus }) {
  const { enums } = useI18n();
  return <span class={`badge dec dec-${status}`}>{enums.decision[status]}</span>;
}

export function WaitingBadge() {
  const { t } = useI18n();
  return (
    <span class="badge waiting" title={t.waitingTitle} data-waiting="true">
      {t.waiting}
    </span>
  );
}

/** Why the server ended access, in words (the code comes from shared/protocol's SESSION_END_CODES). */
export function endWords(t: Dict, code: SessionEndCode): string {
  switch (code) {
    case 'LOGGED_OUT':
      return t.endLoggedOut;
    case 'TOKEN_REVOKED':
      return t.endTokenRevoked;
    case 'ACCOUNT_DISABLED':
      return t.endAccountDisabled;
    case 'REMOVED_FROM_INCIDENT':
      return t.endRemovedFromIncident;
    case 'SESSION_EXPIRED':
    case 'UNAUTHENTICATED':
      return t.endSessionExpired;
  }
}

export function statusLabel(t: Dict, status: ConnectionStatus): string {
  return status === 'live' ? t.live : status === 'connecting' ? t.connecting : status === 'reconnecting' ? t.reconnecting : status === 'ended' ? t.ended : t.offline;
}

/**
 * Live / reconnecting / offline / ended, with the number of edits the server has not confirmed
 * yet; away from live, when the server was last heard from; ended, why, in words.
 */
export function ConnectionIndicator({
  status,
  pending,
  readOnly = false,
  lastContact = null,
  endCode = null,
}: {
  status: ConnectionStatus;
  pending: number;
  readOnly?: boolean;
  lastContact?: Date | null;
  endCode?: SessionEndCode | null;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const label = status === 'ended' && endCode ? endWords(t, endCode) : statusLabel(t, status);
  return (
    <div class={`conn conn-${status}`} role="status" aria-live="polite" data-testid="connection" data-status={status} data-pending={pending} data-end={endCode ?? undefined}>
      <span class="conn-dot" aria-hidden="true" />
      <span class="conn-label">{label}</span>
      {status !== 'live' && status !== 'ended' && (
        <span class="conn-contact" data-testid="last-contact">
          · {lastContact ? t.lastContact(i18n.time(lastContact)) : t.noContactYet}
        </span>
      )}
      {!readOnly && (pending > 0 || status !== 'live') && <span class="conn-pending">· {t.waitingEdits(pending)}</span>}
      {!readOnly && status === 'offline' && (
        <button type="button" class="link-button" onClick={() => reconnect()}>
          {t.reconnect}
        </button>
      )}
    </div>
  );
}

/** FR | EN: a plain link-like switch (a button, since it changes nothing but the page). */
export function LangSwitch({ asLink = false }: { asLink?: boolean }) {
  const { t, lang } = useI18n();
  const other = t.switchToLang as 'fr' | 'en';
  if (asLink) {
    // The management view holds no button at all: the switch is a link to the same page.
    return (
      <a class="lang-switch" href={location.hash} lang={other} onClick={(e) => { e.preventDefault(); updateSettings({ lang: other }); }}>
        {t.switchTo}
      </a>
    );
  }
  return (
    // The name starts with the visible "EN" / "FR" (what a voice-control user says), then says what it does.
    <button type="button" class="lang-switch" lang={other} title={`${t.language}${t.colon} ${t.switchTo}`} onClick={() => updateSettings({ lang: other })}>
      {lang === 'fr' ? 'EN' : 'FR'}
      <span class="sr-only">
        {' '}
        — {t.language}{t.colon} {t.switchTo}
      </span>
    </button>
  );
}

export function Kbd({ children }: { children: ComponentChildren }) {
  return <kbd>{children}</kbd>;
}

/** Screen-reader announcements (moves on the board, posts). */
let announceTarget: HTMLElement | null = null;
export function Announcer() {
  return <div class="sr-only" role="status" aria-live="polite" ref={(el) => { announceTarget = el; }} />;
}
export function announce(message: string): void {
  if (!announceTarget) return;
  announceTarget.textContent = '';
  const target = announceTarget;
  requestAnimationFrame(() => { target.textContent = message; });
}
