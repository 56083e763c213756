import type { Debrief, DebriefActivity, DebriefInject, DebriefObservation } from '../../../shared/exercise/debrief';
import type { ExerciseState } from '../../../shared/exercise/exerciseState';
import type { TimelineEvent } from '../../../shared/timeline/events';
import { TimelineFilterSchema } from '../../../shared/timeline/filter';
import { type InjectReference, injectReferences, isDecisionStatusEvent, standingLinks } from '../../../shared/timeline/injectReferences';
import type { ExportAudience } from '../../../shared/timeline/audience';
import type { Lang } from '../../../shared/i18n';
import type { DocumentStore } from '../../storage/documentStore';
import type { DescribeAuthors } from '../../export/authorNames';
import { Anonymiser, type IncidentRoster } from '../../export/anonymise';
import { incidentHeadRef } from '../../evidence/headHash';
import { openTimeline } from '../../timeline/timeline';
import { stateAt } from '../../timeline/stateAt';
import { AppError } from '../../errors';
import type { ExerciseStore } from '../exerciseStore';
import type { ScenarioCatalog } from '../scenarioCatalog';
import { ClockReadings } from './clockReadings';

export interface DebriefServiceDeps {
  store: DocumentStore;
  exercises: ExerciseStore;
  /** People's names for journal author ids (the accounts). */
  describeAuthors?: DescribeAuthors;
  /** The incident's people with their roles: the pseudonyms of an anonymised debrief. */
  roster?: IncidentRoster;
  /** The scenarios: the roles injects are addressed to, by their labels. */
  scenarios?: Pick<ScenarioCatalog, 'list'>;
}

export interface DebriefRequest {
  incidentId: string;
  /** Default: the language the exercise was played in. */
  lang?: Lang | undefined;
  timeZone: string;
  audience: ExportAudience;
  producedBy: string;
  /** The requester's user id: an anonymised debrief names its producer by their pseudonym. */
  producedById?: string | undefined;
}

/** How the debrief names people and quotes their text: as they are, or through the anonymiser. */
interface Namer {
  author(name: string, id: string | null): string;
  text(s: string): string;
}

const AS_IS: Namer = { author: (name) => name, text: (s) => s };

async function anonymisingNamer(deps: DebriefServiceDeps, req: DebriefRequest, lang: Lang, authorIds: string[]): Promise<Namer> {
  const anonymiser = new Anonymiser((await deps.roster?.(req.incidentId)) ?? [], deps.describeAuthors, lang);
  await anonymiser.learn([...authorIds, ...(req.producedById ? [req.producedById] : [])]);
  return { author: (name, id) => (id !== null ? anonymiser.pseudonymOf(id) : undefined) ?? anonymiser.text(name), text: (s) => anonymiser.text(s) };
}

/**
 * The exercise debrief (RETEX): the exercise's state (chronogram, clock, observations) beside
 * the timeline replayed from the journal — each inject with the cell's first reaction that
 * refers to it, the decisions and the published reports. Reads only; animators and evaluators
 * only (the route checks).
 */
export class DebriefService {
  constructor(private readonly deps: DebriefServiceDeps) {}

  /** The exercise's state; NOT_FOUND without such an incident, NOT_AN_EXERCISE for a real one. */
  async requireExercise(incidentId: string): Promise<ExerciseState> {
    if (!(await this.deps.store.getIncident(incidentId))) throw new AppError('NOT_FOUND', `no incident ${incidentId}`);
    const state = await this.deps.exercises.get(incidentId);
    if (!state) throw new AppError('NOT_AN_EXERCISE', `incident ${incidentId} is a real incident, not an exercise: it has no debrief`);
    return state;
  }

  async build(req: DebriefRequest): Promise<Debrief> {
    const { store } = this.deps;
    const state = await this.requireExercise(req.incidentId);
    const meta = (await store.getIncident(req.incidentId))!;
    const producedAt = new Date();
    const run = await openTimeline(store, req.incidentId, TimelineFilterSchema.parse({}), this.deps.describeAuthors ? { describeAuthors: this.deps.describeAuthors } : {});
    const events: TimelineEvent[] = [];
    for await (const batch of run.events) events.push(...batch);
    const head = await stateAt(store, req.incidentId, producedAt);
    const lang = req.lang ?? state.language;
    const namer = req.audience === 'anonymised' ? await anonymisingNamer(this.deps, req, lang, events.map((e) => e.authorId)) : AS_IS;
    const clock = new ClockReadings(state, producedAt);
    const references = injectReferences(events, standingLinks(head.tasks, head.decisions));
    const roles = this.deps.scenarios?.list().scenarios.find((x) => x.id === state.scenarioId)?.roles ?? [];
    // The scenario's label in the debrief's language, else the one the exercise kept in its own.
    const roleLabel = (id: string | null) => (id === null ? null : (roles.find((r) => r.id === id)?.label[lang] ?? state.roles.find((r) => r.id === id)?.label ?? null));
    const observation = (o: ExerciseState['observations'][number]): DebriefObservation => ({ ...o, author: namer.author(o.author, null), text: namer.text(o.text) });
    return {
      format: 'crisis-cell-debrief',
      version: 1,
      incident: { id: meta.id, title: namer.text(meta.title) },
      scenarioId: state.scenarioId,
      exerciseLanguage: state.language,
      lang,
      timeZone: req.timeZone,
      audience: req.audience,
      producedAt: producedAt.toISOString(),
      producedBy: namer.author(req.producedBy, req.producedById ?? null),
      clock: { status: state.clock.status, factor: state.clock.factor, startedAt: state.clock.startedAt, exerciseSeconds: clock.now, durationMinutes: state.durationMinutes },
      journalHeadRef: incidentHeadRef(run.heads),
      injects: [...state.injects]
        .sort((a, b) => (a.firedAtExerciseSeconds ?? a.offsetSeconds) - (b.firedAtExerciseSeconds ?? b.offsetSeconds))
        .map((i) => ({
          ...i,
          from: namer.text(i.from),
          toLabel: roleLabel(i.to),
          text: namer.text(i.text),
          expected: namer.text(i.expected),
          reaction: i.logEntryId && i.firedAt ? reactionOf(references.find((r) => r.injectEntryId === i.logEntryId), i, clock, namer) : null,
          observations: state.observations.filter((o) => o.injectId === i.id).map(observation),
        })),
      observations: state.observations.filter((o) => o.injectId === null).map(observation),
      decisions: decisionsOf(events, clock, namer),
      reports: events.flatMap((e) => (e.kind === 'report.published' ? [{ id: e.data.reportId, number: e.data.number, at: e.at, exerciseSeconds: clock.exerciseSecondsAt(e.at), publishedBy: namer.author(e.author, e.authorId), conditions: namer.text(e.data.conditions) }] : [])),
      activity: activityOf(events, clock),
    };
  }
}

/** The debrief names an answer a log entry (REACTION_KINDS, its wire contract). */
const DEBRIEF_KIND = { reply: 'log', task: 'task', decision: 'decision' } as const;

function reactionOf(ref: InjectReference | undefined, inject: ExerciseState['injects'][number], clock: ClockReadings, namer: Namer): DebriefInject['reaction'] {
  if (!ref || !inject.firedAt) return null;
  const { at, author, authorId } = ref.event;
  const exerciseSeconds = clock.exerciseSecondsAt(at);
  const fired = inject.firedAtExerciseSeconds;
  return {
    kind: DEBRIEF_KIND[ref.kind],
    id: ref.reactionId,
    at,
    exerciseSeconds,
    author: namer.author(author, authorId),
    text: namer.text(ref.text),
    delaySeconds: (Date.parse(at) - Date.parse(inject.firedAt)) / 1000,
    delayExerciseSeconds: exerciseSeconds === null || fired === null ? null : exerciseSeconds - fired,
  };
}

/** Each decision once: when and by whom it was first recorded, its title, statement and status at the journal's head. */
function decisionsOf(events: TimelineEvent[], clock: ClockReadings, namer: Namer): Debrief['decisions'] {
  const out = new Map<string, Debrief['decisions'][number]>();
  for (const e of events) {
    if (!isDecisionStatusEvent(e)) continue;
    const known = out.get(e.data.decisionId);
    if (known) Object.assign(known, { title: namer.text(e.data.title), statement: namer.text(e.data.statement), status: e.data.status });
    else out.set(e.data.decisionId, { id: e.data.decisionId, title: namer.text(e.data.title), statement: namer.text(e.data.statement), status: e.data.status, at: e.at, exerciseSeconds: clock.exerciseSecondsAt(e.at), author: namer.author(e.author, e.authorId) });
  }
  return [...out.values()];
}

/** What the cell wrote, one mark per record on the picture's lanes: its log entries (not the injects), tasks, decisions and reports. */
function activityOf(events: TimelineEvent[], clock: ClockReadings): DebriefActivity[] {
  const seenDecisions = new Set<string>();
  const out: DebriefActivity[] = [];
  const add = (lane: DebriefActivity['lane'], at: string) => out.push({ lane, at, exerciseSeconds: clock.exerciseSecondsAt(at) });
  for (const e of events) {
    if (e.kind === 'log.entry' && !e.data.inject && !e.data.withdrawn) add('log', e.at);
    else if (e.kind === 'task.created') add('task', e.at);
    else if (e.kind === 'report.published') add('report', e.at);
    else if (isDecisionStatusEvent(e) && !seenDecisions.has(e.data.decisionId)) {
      seenDecisions.add(e.data.decisionId);
      add('decision', e.at);
    }
  }
  return out;
}
