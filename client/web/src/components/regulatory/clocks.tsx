import { useMemo } from 'preact/hooks';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import type { RegulatoryDraft } from '../../../../../shared/model/regulatory';
import { type Clock, clockState, regulatoryClocks } from '../../../../../shared/timeline/deadlines';
import type { ExerciseClock } from '../../../../../shared/exercise/exerciseState';
import { exerciseTimeText } from '../../../../../shared/exercise/exerciseTime';
import type { IncidentSession } from '../../../../sdk/incidentSession';
import { useSignal } from '../../connection';
import { useI18n, useNow } from '../common/common';
import { useExerciseClock } from './exerciseClock';
import type { Lang } from '../../i18n';

export function useDrafts(session: IncidentSession): RegulatoryDraft[] {
  const tick = useSignal(useMemo(() => (n: () => void) => session.onChange('regulatory', n), [session]));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the tick is the dependency: the session's documents change in place, and the tick says when
  return useMemo(() => session.regulatory.list(), [session, tick]);
}

/**
 * The clocks of the incident from the live documents: the same computation as the server's.
 * In an exercise, on the exercise clock (fetched from the server, then ticking locally).
 */
export function useClocks(session: IncidentSession, meta: IncidentMeta | null): Clock[] {
  const drafts = useDrafts(session);
  const exercise = useExerciseClock(meta);
  const { lang } = useI18n();
  return useMemo(() => clocksOf(meta, drafts, lang, exercise), [meta, drafts, lang, exercise]);
}

/**
 * An exercise's clocks wait for its clock: counted on real time meanwhile, they would show real
 * deadlines as if they were the exercise's.
 */
export function clocksOf(meta: IncidentMeta | null, drafts: RegulatoryDraft[], lang: Lang, exercise: ExerciseClock | null): Clock[] {
  if (!meta || (meta.exercise && exercise === null)) return [];
  return regulatoryClocks(meta, drafts, lang, exercise);
}

/** "CNIL 72 h — horloge d’exercice": a clock's name, marked when it counts on the exercise clock. */
export function clockName(name: string, clock: Clock, suffix: string): string {
  return clock.time === 'exercise' ? `${name} — ${suffix}` : name;
}

/** When a clock is due: a date on real time; exercise time ("T+72:00") on the exercise clock. */
export function DueText({ clock }: { clock: Clock }) {
  const i18n = useI18n();
  if (!clock.exercise) return <>{i18n.dateTime(clock.due)}</>;
  return (
    <span data-testid="clock-due-exercise" title={clock.exercise.dueAt ? i18n.dateTime(clock.exercise.dueAt) : undefined}>
      {exerciseTimeText(clock.exercise.dueSeconds * 1000)}
    </span>
  );
}

/** "reste 71:59:58", "dépassée de 0:12:04", "sans délai", "envoyée le …": one clock, live to the second. */
export function ClockText({ clock, now }: { clock: Clock; now: Date }) {
  const i18n = useI18n();
  const r = i18n.t.reg;
  const { remainingMs, state } = clockState(clock, now.getTime());
  if (state === 'met') return <span data-testid="clock-remaining">{r.met} {i18n.dateTime(clock.metAt!)}</span>;
  if (clock.immediate) return <span data-testid="clock-remaining">{r.dueNow}</span>;
  return <span data-testid="clock-remaining" class="countdown">{remainingMs > 0 ? `${r.remaining} ${i18n.countdown(remainingMs)}` : `${r.overdueBy} ${i18n.countdown(remainingMs)}`}</span>;
}

/** The CNIL 72-hour countdown in the room header (a link to the Regulatory view) or on the wall screen (`href` null: no control there). */
export function HeaderCountdown({ clocks, href }: { clocks: Clock[]; href: string | null }) {
  const i18n = useI18n();
  const now = useNow(1_000);
  const cnil = clocks.find((c) => c.id === 'cnil-72h');
  if (!cnil) return null;
  const { state } = clockState(cnil, now.getTime());
  const due = cnil.exercise ? exerciseTimeText(cnil.exercise.dueSeconds * 1000) : i18n.dateTime(cnil.due);
  const props = { class: `reg-countdown clock-${state}`, title: `${i18n.t.reg.countdownTitle} — ${i18n.t.reg.due} ${due}`, 'data-testid': 'cnil-countdown', 'data-state': state, 'data-time': cnil.time };
  const body = (
    <>
      <span class="reg-countdown-label">{clockName('CNIL 72 h', cnil, i18n.t.reg.exerciseClock)}</span> <ClockText clock={cnil} now={now} />
    </>
  );
  return href === null ? <span {...props}>{body}</span> : <a {...props} href={href}>{body}</a>;
}

/** One clock of the Regulatory view: its name, what remains, when it is due and its legal basis. */
export function ClockRow({ clock, now }: { clock: Clock; now: Date }) {
  const i18n = useI18n();
  const r = i18n.t.reg;
  const { state } = clockState(clock, now.getTime());
  return (
    <li class={`reg-clock clock-${state}`} data-testid="reg-clock" data-clock={clock.id} data-state={state} data-time={clock.time}>
      <strong>{clockName(r.clocks[clock.id], clock, r.exerciseClock)}</strong>
      <span class="reg-clock-time">
        <ClockText clock={clock} now={now} />
      </span>
      <span class="muted">
        {r.due} <DueText clock={clock} />
        {clock.estimated && ` — ${clock.id === 'nis2-final' ? r.estimatedFinal : r.estimated}`}
      </span>
      <small class="muted">{clock.basis}</small>
    </li>
  );
}
