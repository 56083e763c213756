import {
  type ExerciseInject,
  type ExercisePublic,
  type ExerciseState,
  type ImprovisedInject,
  type Observation,
  exerciseMsAt,
} from '../../shared/exercise/exerciseState';
import { type ScenarioFile, injectOffsetSeconds } from '../../shared/exercise/scenario';
import { type TemplateLanguage, localText } from '../../shared/templates/incidentTemplate';
import { type CreateIncident, type IncidentMeta } from '../../shared/model/incident';
import { type LogEntry, LogEntrySchema } from '../../shared/model/log';
import { newId } from '../../shared/model/ids';
import { docName } from '../../shared/model/parts';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import type { IncidentService } from '../incidents/incidentService';
import type { RoomRegistry } from '../documents/roomRegistry';
import type { Logger } from '../logger';
import { AppError } from '../errors';
import { KeyedMutex } from '../storage/keyedMutex';
import { templateTasks } from '../templates/templateCatalog';
import type { ExerciseStore } from './exerciseStore';
import { newClock, pauseClock, realMsUntil, resumeClock, setClockSpeed, startClock } from './exerciseClock';

/** The journal author of what the exercise clock does by itself (an inject falling due). */
export const EXERCISE_JOURNAL_AUTHOR = 'exercise-clock';
/** The log entry's author of an inject: the outside world the animators play, never a player. */
const INJECT_AUTHOR: Record<TemplateLanguage, string> = { fr: 'Exercice — animation', en: 'Exercise — animation' };

/**
 * How much exercise time before its offset an inject may fire. A timer only ever fires late (by
 * the event loop's lag, a few real milliseconds, times the speed factor in exercise time), so
 * aiming this early centres injects on their offset (measured at 60×: a few tenths of a second either side).
 */
const EARLY_EXERCISE_MS = 300;

/** The log category an inject's channel reads as in the players' log. */
const CATEGORY_OF = { phone: 'communication', email: 'communication', press: 'communication', authority: 'communication', internal: 'information', technical: 'alert' } as const;

function injectsOf(scenario: ScenarioFile, lang: TemplateLanguage): ExerciseInject[] {
  return scenario.injects
    .map((i) => ({
      id: i.id,
      offsetSeconds: injectOffsetSeconds(i.offset),
      channel: i.channel,
      from: localText(i.from, lang),
      to: i.to ?? null,
      text: localText(i.text, lang),
      expected: localText(i.expected, lang),
      status: 'pending' as const,
      improvised: false,
      firedAt: null,
      firedAtExerciseSeconds: null,
      logEntryId: null,
    }))
    .sort((a, b) => a.offsetSeconds - b.offsetSeconds);
}

/**
 * Exercises (issue 17): creation from a scenario, the exercise clock, the injects it fires and
 * the evaluators' observations. The state lives in the ExerciseStore (never in a document a
 * player joins); one timer per running exercise fires its next pending inject when exercise time
 * reaches its offset, and is recomputed on every move of the clock and at start-up.
 * Changes of one exercise run one at a time, each on a fresh read of the stored state: in this
 * process (a KeyedMutex) and across the nodes sharing the database (`exclusive`, the store's
 * document lock), so a timer and an animator, or two nodes' timers, never fire an inject twice.
 */
export class ExerciseService {
  private readonly locks = new KeyedMutex();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly store: ExerciseStore,
    private readonly incidents: IncidentService,
    private readonly rooms: RoomRegistry,
    private readonly logger: Logger,
    /** Runs `task` while no other node changes this exercise (DocumentStore.lockDocument). */
    private readonly crossNode: <T>(incidentId: string, task: () => Promise<T>) => Promise<T> = (_id, task) => task(),
  ) {}

  private exclusive<T>(incidentId: string, task: () => Promise<T>): Promise<T> {
    return this.locks.run(incidentId, () => this.crossNode(incidentId, task));
  }

  /** Creates an exercise incident from a scenario: the exercise mark, its template's tasks, a ready clock. */
  async create(input: CreateIncident, scenario: ScenarioFile, language: TemplateLanguage, author: { name: string; journal: string }, beforeCreate: (id: string) => Promise<void>): Promise<IncidentMeta> {
    let state: ExerciseState | null = null;
    const meta = await this.incidents.create(input, author.journal, async (id) => {
      await beforeCreate(id);
      const roles = scenario.template.roles.map((r) => ({ id: r.id, label: localText(r.label, language) }));
      state = { incidentId: id, scenarioId: scenario.id, language, durationMinutes: scenario.durationMinutes, clock: newClock(), injects: injectsOf(scenario, language), observations: [], roles, roleHolders: {} };
      // Stored before the incident exists: an exercise is never without its chronogram.
      await this.store.put(state);
    }, { exercise: true });
    await this.incidents.addTasks(meta.id, templateTasks(scenario.template, language, new Date(meta.openedAt)), author.name, author.journal);
    return meta;
  }

  /** The whole state (chronogram, expected reactions, observations): for animators and evaluators only (the route checks). */
  async state(incidentId: string): Promise<ExerciseState & { exerciseSeconds: number }> {
    const state = await this.require(incidentId);
    return { ...state, exerciseSeconds: exerciseMsAt(state.clock, new Date()) / 1000 };
  }

  /** What every member may read: the clock and who holds which functional role (the route checks membership). */
  async publicView(incidentId: string): Promise<ExercisePublic> {
    const state = await this.require(incidentId);
    const roles = state.roles.map((r) => ({ ...r, holders: state.roleHolders[r.id] ?? [] }));
    return { incidentId, language: state.language, durationMinutes: state.durationMinutes, clock: state.clock, exerciseSeconds: exerciseMsAt(state.clock, new Date()) / 1000, roles };
  }

  /** Names who holds a functional role of the scenario (replacing the previous holders). */
  setRoleHolders(incidentId: string, roleId: string, userIds: string[]): Promise<ExercisePublic> {
    return this.exclusive(incidentId, async () => {
      const state = await this.require(incidentId);
      if (!state.roles.some((r) => r.id === roleId)) throw new AppError('NOT_FOUND', `no role ${roleId} in this exercise's scenario`);
      state.roleHolders = { ...state.roleHolders, [roleId]: [...new Set(userIds)] };
      await this.store.put(state);
      return this.publicView(incidentId);
    });
  }

  start(incidentId: string): Promise<ExerciseState> {
    return this.moveClock(incidentId, (s, now) => startClock(s.clock, now));
  }

  pause(incidentId: string): Promise<ExerciseState> {
    return this.moveClock(incidentId, (s, now) => pauseClock(s.clock, now));
  }

  resume(incidentId: string): Promise<ExerciseState> {
    return this.moveClock(incidentId, (s, now) => resumeClock(s.clock, now));
  }

  setSpeed(incidentId: string, factor: number): Promise<ExerciseState> {
    return this.moveClock(incidentId, (s, now) => setClockSpeed(s.clock, factor, now));
  }

  /** Fires a pending inject now, whatever its offset. */
  fire(incidentId: string, injectId: string, journalAuthor: string): Promise<ExerciseInject> {
    return this.exclusive(incidentId, async () => {
      const state = await this.require(incidentId);
      const inject = this.pendingInject(state, injectId);
      await this.deliver(state, inject, journalAuthor, new Date());
      await this.store.put(state);
      this.schedule(state);
      return inject;
    });
  }

  /** Skips a pending inject: it never reaches the players. */
  skip(incidentId: string, injectId: string): Promise<ExerciseInject> {
    return this.exclusive(incidentId, async () => {
      const state = await this.require(incidentId);
      const inject = this.pendingInject(state, injectId);
      inject.status = 'skipped';
      await this.store.put(state);
      this.schedule(state);
      return inject;
    });
  }

  /** An inject written on the spot by an animator: added to the chronogram and delivered at once. */
  improvise(incidentId: string, input: ImprovisedInject, journalAuthor: string): Promise<ExerciseInject> {
    return this.exclusive(incidentId, async () => {
      const state = await this.require(incidentId);
      const now = new Date();
      const at = Math.floor(exerciseMsAt(state.clock, now) / 1000);
      const inject: ExerciseInject = { id: `improvised-${newId().slice(0, 12).toLowerCase()}`, offsetSeconds: at, ...input, status: 'pending', improvised: true, firedAt: null, firedAtExerciseSeconds: null, logEntryId: null };
      state.injects.push(inject);
      await this.deliver(state, inject, journalAuthor, now);
      await this.store.put(state);
      return inject;
    });
  }

  observe(incidentId: string, input: { text: string; injectId: string | null }, author: string): Promise<Observation> {
    return this.exclusive(incidentId, async () => {
      const state = await this.require(incidentId);
      if (input.injectId !== null && !state.injects.some((i) => i.id === input.injectId)) throw new AppError('NOT_FOUND', `no inject ${input.injectId} in this exercise`);
      const now = new Date();
      const observation: Observation = { id: newId(), at: now.toISOString(), exerciseSeconds: exerciseMsAt(state.clock, now) / 1000, author, text: input.text, injectId: input.injectId };
      state.observations.push(observation);
      await this.store.put(state);
      return observation;
    });
  }

  async observations(incidentId: string): Promise<Observation[]> {
    return (await this.require(incidentId)).observations;
  }

  /** At start-up: the clocks that were running go on from their stored anchor (late injects fire at once). */
  async resumeScheduling(): Promise<void> {
    for (const state of await this.store.all()) this.schedule(state);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async require(incidentId: string): Promise<ExerciseState> {
    await this.incidents.requireIncident(incidentId);
    const state = await this.store.get(incidentId);
    if (!state) throw new AppError('NOT_AN_EXERCISE', `incident ${incidentId} is a real incident, not an exercise`);
    return state;
  }

  private pendingInject(state: ExerciseState, injectId: string): ExerciseInject {
    const inject = state.injects.find((i) => i.id === injectId);
    if (!inject) throw new AppError('NOT_FOUND', `no inject ${injectId} in this exercise`);
    if (inject.status !== 'pending') throw new AppError('EXERCISE_STATE', `inject ${injectId} is ${inject.status} already`);
    return inject;
  }

  private moveClock(incidentId: string, move: (s: ExerciseState, now: Date) => ExerciseState['clock']): Promise<ExerciseState> {
    return this.exclusive(incidentId, async () => {
      const state = await this.require(incidentId);
      state.clock = move(state, new Date());
      await this.store.put(state);
      this.schedule(state);
      return state;
    });
  }

  /** Writes the inject into the players' log (server-written, marked) and records it fired. */
  private async deliver(state: ExerciseState, inject: ExerciseInject, journalAuthor: string, now: Date): Promise<LogEntry> {
    const exerciseSeconds = exerciseMsAt(state.clock, now) / 1000;
    const base = buildLogEntry({ text: inject.text, source: inject.from, category: CATEGORY_OF[inject.channel], severity: 'medium', verification: 'to_check' }, INJECT_AUTHOR[state.language], now);
    const entry = LogEntrySchema.parse({ ...base, inject: { id: inject.id, channel: inject.channel, from: inject.from, to: inject.to, exerciseSeconds } });
    const room = await this.rooms.get(docName(state.incidentId, 'log'));
    await room.change(journalAuthor, (doc) => new LogDoc(doc).append(entry));
    Object.assign(inject, { status: 'fired', firedAt: now.toISOString(), firedAtExerciseSeconds: exerciseSeconds, logEntryId: entry.id });
    return entry;
  }

  /** One timer per running exercise, set for its next pending inject; none when paused or done. */
  private schedule(state: ExerciseState, minDelayMs = 0): void {
    const id = state.incidentId;
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    if (this.closed) return;
    const next = state.injects.find((i) => i.status === 'pending' && !i.improvised);
    const delay = next ? realMsUntil(state.clock, next.offsetSeconds * 1000 - EARLY_EXERCISE_MS, new Date()) : null;
    if (delay === null) return;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      void this.fireDue(id).catch((err) => this.logger.warn({ err: String(err), incidentId: id }, 'exercise inject not fired; retrying'));
    }, Math.max(minDelayMs, Math.ceil(delay)));
    timer.unref();
    this.timers.set(id, timer);
  }

  /** Fires every pending inject whose offset the clock has reached, then sets the next timer. */
  private fireDue(incidentId: string): Promise<void> {
    return this.exclusive(incidentId, async () => {
      if (this.closed) return;
      const state = await this.store.get(incidentId);
      if (!state) return;
      let failed = true;
      try {
        for (const inject of state.injects) {
          if (inject.status !== 'pending' || inject.improvised) continue;
          const now = new Date();
          if (exerciseMsAt(state.clock, now) < inject.offsetSeconds * 1000 - EARLY_EXERCISE_MS) break;
          await this.deliver(state, inject, EXERCISE_JOURNAL_AUTHOR, now);
          await this.store.put(state);
        }
        failed = false;
      } finally {
        // Also after a failure (storage out of reach): the due inject is tried again a second later.
        this.schedule(state, failed ? 1_000 : 0);
      }
    });
  }
}
