import type { IncidentMeta } from '../model/incident';
import type { DraftKind, MissingField, RegulatoryDraft } from '../model/regulatory';
import { type Lang, words } from '../i18n';
import { type ClockReading, type ExerciseClock, exerciseMsAt } from '../exercise/exerciseState';
import { clockReading, exerciseMsAtReal, realMsAtExercise } from '../exercise/exerciseTime';

/**
 * Regulatory deadlines: drawn on the picture and stated in timeline exports, shown as live
 * countdowns in the client and stated on each notification draft. One computation for all of
 * them, so an export and a screen never disagree.
 *
 * - CNIL (GDPR art. 33): 72 h after the organisation became aware of the personal-data breach
 *   (`breachAwareAt`). Until the director records it, the detection time stands in, marked as
 *   an estimate.
 * - NIS2 (art. 23), only when the organisation is under NIS2 (`nis2`): early warning 24 h and
 *   incident notification 72 h after becoming aware of the significant incident (`nis2AwareAt`,
 *   else detection, estimated); final report one calendar month after the notification was
 *   submitted (its sent time once a notification draft is sent, else its deadline, estimated).
 * - Health establishments (`healthSector`): the declaration of a security incident of the health
 *   information systems to the ARS / CERT Santé is owed "sans délai". No hours to count: its due
 *   time is the detection itself, so it shows as due now until it is sent.
 *
 * In an exercise the clocks count on the exercise clock (`exercise` below): its start converted
 * to exercise time, the same period after it, "now" the exercise time. `from`, `due` and `metAt`
 * stay real instants (the real-time reading, what the journal and the exports keep).
 */
export type { ClockId } from '../model/regulatory';
import type { ClockId } from '../model/regulatory';

/** Hours of each counted clock (the final report counts a calendar month, the health declaration none). */
const HOURS: Partial<Record<ClockId, number>> = { 'cnil-72h': 72, 'nis2-24h': 24, 'nis2-72h': 72 };

export interface Deadline {
  id: string;
  label: string;
  due: string;
  basis: string;
}

/** A deadline with what the client needs to count down: where it starts, whether it is estimated, whether it is met. */
export interface Clock extends Deadline {
  id: ClockId;
  /** The moment counted from. */
  from: string;
  /** Counted from a stand-in (detection instead of awareness, a notification deadline instead of its sending). */
  estimated: boolean;
  /** "Sans délai": due at once. */
  immediate: boolean;
  /** The draft kinds that fulfil it. */
  kinds: readonly DraftKind[];
  /** When the first draft of those kinds was sent; null while none is. */
  metAt: string | null;
  /** What it counts on: real time, or (in an exercise) the exercise clock. */
  time: 'real' | 'exercise';
  /** In an exercise: the count in exercise time; null on real time. */
  exercise: ExerciseCount | null;
}

/** A regulatory clock counted in exercise time. */
export interface ExerciseCount {
  /** The exercise clock it ticks with (without its history: the start is converted already). */
  clock: ClockReading;
  /** Exercise time (seconds since the exercise began) counted from, and of the deadline. */
  fromSeconds: number;
  dueSeconds: number;
  /** The real instant the exercise clock reached the deadline, or will at its present speed; null while it stands still short of it. */
  dueAt: string | null;
}

/** The kinds of draft that meet each clock; a complementary CNIL notification meets none (it follows "sans retard indu"). */
export const CLOCK_OF_KIND: Record<DraftKind, ClockId | null> = {
  cnil_initial: 'cnil-72h',
  cnil_complementary: null,
  health_incident: 'health',
  nis2_early_warning: 'nis2-24h',
  nis2_notification: 'nis2-72h',
  nis2_final: 'nis2-final',
};

type MetaFacts = Pick<IncidentMeta, 'detectedAt'> & Partial<Pick<IncidentMeta, 'openedAt' | 'breachAwareAt' | 'nis2' | 'nis2AwareAt' | 'healthSector'>>;
type DraftFacts = Pick<RegulatoryDraft, 'kind' | 'status' | 'sentAt'>;

const HOUR = 3_600_000;

/** One calendar month later (UTC), the day clamped to the month's last (31 Jan → 28/29 Feb). */
export function addOneMonth(iso: string): string {
  const d = new Date(iso);
  const day = d.getUTCDate();
  const target = new Date(d.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + 1);
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.toISOString();
}

function sentAtOf(drafts: readonly DraftFacts[], kinds: readonly DraftKind[]): string | null {
  const times = drafts.filter((d) => d.status === 'sent' && d.sentAt && kinds.includes(d.kind)).map((d) => d.sentAt!);
  // As instants: ISO strings with different offsets do not sort as text.
  return times.length === 0 ? null : times.reduce((first, t) => (Date.parse(t) < Date.parse(first) ? t : first));
}

/**
 * Every regulatory clock of the incident, in order of legal weight; none until a start time is
 * known. Labels and legal bases in `lang` (shared/i18n/(en|fr)/regulatory.ts). With the clock of
 * an exercise, counted in exercise time and labelled so.
 */
export function regulatoryClocks(meta: MetaFacts, drafts: readonly DraftFacts[] = [], lang: Lang = 'fr', exercise: ExerciseClock | null = null): Clock[] {
  const clocks = realClocks(meta, drafts, lang);
  return exercise === null ? clocks : onExerciseTime(clocks, exercise, lang);
}

/**
 * The clocks in exercise time: each start converted through the clock's history, the same
 * period after it. The NIS2 final report's estimated start (the notification's deadline) is that
 * deadline in exercise time, not a real instant to convert.
 */
function onExerciseTime(clocks: readonly Clock[], exercise: ExerciseClock, lang: Lang): Clock[] {
  const suffix = words(lang).regulatory.exerciseClock;
  const reading = clockReading(exercise);
  const done: Clock[] = [];
  for (const c of clocks) {
    const notification = done.find((d) => d.id === 'nis2-72h')?.exercise;
    const fromMs = c.id === 'nis2-final' && c.estimated && notification ? notification.dueSeconds * 1000 : exerciseMsAtReal(exercise, Date.parse(c.from));
    const dueMs = fromMs + (Date.parse(c.due) - Date.parse(c.from));
    const dueAt = realMsAtExercise(exercise, dueMs);
    const count = { clock: reading, fromSeconds: fromMs / 1000, dueSeconds: dueMs / 1000, dueAt: dueAt === null ? null : new Date(dueAt).toISOString() };
    done.push({ ...c, label: `${c.label} — ${suffix}`, time: 'exercise', exercise: count });
  }
  return done;
}

function realClocks(meta: MetaFacts, drafts: readonly DraftFacts[], lang: Lang): Clock[] {
  const w = words(lang).regulatory;
  const clocks: Clock[] = [];
  const hours = (id: ClockId, from: string, estimated: boolean): Clock => {
    const r = w.deadlines[id];
    const kinds = (Object.keys(CLOCK_OF_KIND) as DraftKind[]).filter((k) => CLOCK_OF_KIND[k] === id);
    const basis = estimated ? `${r.basis} ${w.estimatedFromDetection}` : r.basis;
    return { id, label: r.label, basis, from, due: new Date(Date.parse(from) + (HOURS[id] ?? 0) * HOUR).toISOString(), estimated, immediate: false, kinds, metAt: sentAtOf(drafts, kinds), time: 'real', exercise: null };
  };
  const breach = meta.breachAwareAt ?? meta.detectedAt;
  if (breach) clocks.push(hours('cnil-72h', breach, !meta.breachAwareAt));
  if (meta.nis2) {
    const aware = meta.nis2AwareAt ?? meta.detectedAt;
    if (aware) {
      const early = hours('nis2-24h', aware, !meta.nis2AwareAt);
      const notification = hours('nis2-72h', aware, !meta.nis2AwareAt);
      const submitted = notification.metAt;
      const from = submitted ?? notification.due;
      clocks.push(early, notification, {
        id: 'nis2-final',
        label: w.deadlines['nis2-final'].label,
        basis: submitted ? w.deadlines['nis2-final'].basis : `${w.deadlines['nis2-final'].basis} ${w.estimatedFromDeadline}`,
        from,
        due: addOneMonth(from),
        estimated: !submitted,
        immediate: false,
        kinds: ['nis2_final'],
        metAt: sentAtOf(drafts, ['nis2_final']),
        time: 'real',
        exercise: null,
      });
    }
  }
  if (meta.healthSector) {
    const from = meta.detectedAt ?? meta.openedAt;
    if (from) {
      clocks.push({ id: 'health', label: w.deadlines.health.label, basis: w.deadlines.health.basis, from, due: from, estimated: false, immediate: true, kinds: ['health_incident'], metAt: sentAtOf(drafts, ['health_incident']), time: 'real', exercise: null });
    }
  }
  return clocks;
}

/** The deadline a draft of this kind answers, if any. */
export function clockOfDraft(clocks: readonly Clock[], kind: DraftKind): Clock | null {
  const id = CLOCK_OF_KIND[kind];
  return id === null ? null : (clocks.find((c) => c.id === id) ?? null);
}

/**
 * The real instant after which a sending is late (a CNIL notification then owes its reasons):
 * the deadline, or in an exercise the instant the exercise clock reaches it (null: not yet).
 */
export function lateAfter(clock: Clock | null): string | null {
  if (clock === null) return null;
  return clock.exercise ? clock.exercise.dueAt : clock.due;
}

/** The deadlines of an incident as exports state them, in the export's language; none until a start time is known. */
export function deadlinesOf(meta: MetaFacts, drafts: readonly DraftFacts[] = [], lang: Lang = 'fr'): Deadline[] {
  return regulatoryClocks(meta, drafts, lang).map((c) => ({ id: c.id, label: c.label, due: c.due, basis: c.basis }));
}

/**
 * Remaining time of a clock at `now` (real ms; negative once overdue), and how urgent it is. In
 * an exercise, in exercise time: it shrinks at the clock's speed and stands still while paused.
 */
export function clockState(clock: Clock, now: number): { remainingMs: number; state: 'met' | 'overdue' | 'urgent' | 'running' } {
  const count = clock.exercise;
  const remainingMs = count ? count.dueSeconds * 1000 - exerciseMsAt(count.clock, new Date(now)) : Date.parse(clock.due) - now;
  if (clock.metAt) return { remainingMs, state: 'met' };
  if (clock.immediate || remainingMs <= 0) return { remainingMs, state: 'overdue' };
  // Urgent: the last quarter of the period, or the last 12 hours, whichever is shorter.
  const period = Date.parse(clock.due) - Date.parse(clock.from);
  return { remainingMs, state: remainingMs <= Math.min(12 * HOUR, period / 4) ? 'urgent' : 'running' };
}

/** A draft as the API gives it: with the deadline it answers and the mandatory fields it lacks. */
export interface DraftView {
  draft: RegulatoryDraft;
  deadline: Clock | null;
  missing: MissingField[];
  complete: boolean;
}
