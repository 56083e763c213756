import { docName } from '../../shared/model/parts';
import { readDecisions, readLog, readRegulatory, readTasks } from '../../shared/docs/reader';
import type { IncidentMeta } from '../../shared/model/incident';
import { MetaDoc } from '../../shared/docs/metaDoc';
import { RegulatoryDoc } from '../../shared/docs/regulatoryDoc';
import {
  type DraftInput,
  type DraftKind,
  type MarkSent,
  MarkSentSchema,
  type RegulatoryClockInput,
  type RegulatoryDraft,
  missingFields,
} from '../../shared/model/regulatory';
import { prefillDraft, utcText } from '../../shared/model/regulatoryPrefill';
import { words } from '../../shared/i18n';
import { type Clock, type DraftView, clockOfDraft, lateAfter, regulatoryClocks } from '../../shared/timeline/deadlines';
import { type ExerciseClock, exerciseMsAt } from '../../shared/exercise/exerciseState';
import type { RoomRegistry } from '../documents/roomRegistry';
import type { DocumentStore } from '../storage/documentStore';
import { incidentHeads } from '../timeline/timeline';
import { incidentHeadRef } from '../evidence/headHash';
import { AppError } from '../errors';
import type { IncidentService } from './incidentService';

export interface RegulatoryOverview {
  meta: IncidentMeta;
  /** What the clocks count on: real time, or in an exercise the exercise clock (each clock's `exercise` then holds its count). */
  time: 'real' | 'exercise';
  /** "Horloge d’exercice" / "Exercise clock" in an exercise; null on real time. */
  timeLabel: string | null;
  /** In an exercise: its clock and the exercise time (seconds) when the server answered. */
  exercise: { clock: ExerciseClock; exerciseSeconds: number } | null;
  clocks: Clock[];
  drafts: DraftView[];
}

/** The clock of an exercise (null for a real incident), read from the exercise store. */
export type ExerciseClockOf = (incidentId: string) => Promise<ExerciseClock | null>;

/**
 * The regulatory part seen from the server: clocks and drafts with their completeness, the
 * director's awareness times, prefill from the incident, and marking a draft sent, which seals
 * it and writes the log entry, both through the normal journaled document path.
 */
export class RegulatoryService {
  constructor(
    private readonly store: DocumentStore,
    private readonly rooms: RoomRegistry,
    private readonly incidents: IncidentService,
    /** In an exercise the clocks count on its clock (issue 17); none: always real time. */
    private readonly exerciseClockOf: ExerciseClockOf = async () => null,
  ) {}

  async overview(id: string, now = new Date()): Promise<RegulatoryOverview> {
    await this.incidents.requireIncident(id);
    const meta = await this.meta(id);
    const drafts = await this.drafts(id);
    const clock = meta.exercise ? await this.exerciseClockOf(id) : null;
    const clocks = regulatoryClocks(meta, drafts, 'fr', clock);
    const exercise = clock ? { clock, exerciseSeconds: exerciseMsAt(clock, now) / 1000 } : null;
    const time = clock ? 'exercise' : 'real';
    return { meta, time, timeLabel: clock ? words('fr').regulatory.exerciseTime : null, exercise, clocks, drafts: drafts.map((d) => viewOf(d, clocks, now)) };
  }

  async draft(id: string, draftId: string, now = new Date()): Promise<DraftView & { meta: IncidentMeta; clocks: Clock[] }> {
    const all = await this.overview(id, now);
    const view = all.drafts.find((d) => d.draft.id === draftId);
    if (!view) throw new AppError('NOT_FOUND', `no draft ${draftId} in incident ${id}`);
    return { ...view, meta: all.meta, clocks: all.clocks };
  }

  /** The director's act (checked by the route): awareness times, NIS2, health sector. */
  async setClocks(id: string, input: RegulatoryClockInput, journalAuthor: string): Promise<IncidentMeta> {
    await this.incidents.requireIncident(id);
    const room = await this.rooms.get(docName(id, 'meta'));
    await room.change(journalAuthor, (doc) => new MetaDoc(doc).setRegulatory(input));
    return this.meta(id);
  }

  async prefill(id: string, kind: DraftKind): Promise<ReturnType<typeof prefillDraft>> {
    await this.incidents.requireIncident(id);
    const read = async <T>(part: 'log' | 'tasks' | 'decisions', fn: (doc: import('yjs').Doc) => T) => (await this.rooms.get(docName(id, part))).read(fn);
    return prefillDraft(kind, {
      meta: await this.meta(id),
      log: await read('log', (d) => readLog(d).entries),
      tasks: await read('tasks', readTasks),
      decisions: await read('decisions', readDecisions),
      drafts: await this.drafts(id),
    });
  }

  /** A draft made over REST (API clients); the browser makes them in its own copy of the document. */
  async create(id: string, input: DraftInput, author: string, journalAuthor: string): Promise<RegulatoryDraft> {
    await this.incidents.requireIncident(id);
    const room = await this.rooms.get(docName(id, 'regulatory'));
    let created: RegulatoryDraft | null = null;
    await room.change(journalAuthor, (doc) => {
      created = new RegulatoryDoc(doc).create(input, author, new Date());
    });
    return created!;
  }

  /**
   * Marks a draft sent: refused when it was sent already (sealed) or still lacks a mandatory
   * field (the message names them: an authority must get the mandatory items, even as "unknown
   * at this stage"). The draft is sealed first, then the log entry is written; both are durable
   * when this resolves.
   */
  async markSent(id: string, draftId: string, body: MarkSent, author: string, journalAuthor: string): Promise<DraftView> {
    const sent = MarkSentSchema.parse(body);
    const now = new Date();
    // One spelling of the time (UTC, milliseconds) whatever offset the caller wrote it with.
    const sentAt = new Date(sent.sentAt ? Date.parse(sent.sentAt) : now.getTime()).toISOString();
    // A sending time may be entered afterwards, never ahead (a little clock skew aside).
    if (Date.parse(sentAt) > now.getTime() + 5 * 60_000) throw new AppError('BAD_REQUEST', `sentAt ${sentAt} is in the future`);
    const current = await this.draft(id, draftId, now);
    // Nor before the draft existed: a notification cannot have been sent before it was written.
    // To the minute, since a time entered by hand has no seconds.
    if (sent.sentAt && Date.parse(sentAt) < Math.floor(Date.parse(current.draft.createdAt) / 60_000) * 60_000) {
      throw new AppError('BAD_REQUEST', `sentAt ${sentAt} is before the draft was created (${current.draft.createdAt})`);
    }
    if (current.draft.status === 'sent') throw new AppError('UPDATE_SEALED', `draft ${draftId} was sent already (${current.draft.sentAt}) and is sealed`);
    const missing = missingFields({ ...current.draft, sentAt }, lateAfter(current.deadline), now);
    if (missing.length > 0) throw new AppError('BAD_REQUEST', `the draft lacks mandatory fields: ${missing.join(', ')}`, { missing });
    const room = await this.rooms.get(docName(id, 'regulatory'));
    // Checked again under the document's lock, caught up with every node: another send may have sealed it meanwhile.
    await room.exclusive(async () => {
      if (room.read((doc) => new RegulatoryDoc(doc).get(draftId)?.status) !== 'draft') throw new AppError('UPDATE_SEALED', `draft ${draftId} was sent already`);
      await room.change(journalAuthor, (doc) => new RegulatoryDoc(doc).markSent(draftId, { via: sent.via, reference: sent.reference, sentAt }, author));
    });
    // A record in the cell's log, written in the cell's language (French), like the drafts it sends.
    const kindLabel = words('fr').regulatory.kinds[current.draft.kind];
    const text = `${kindLabel} envoyée via ${sent.via}${sent.reference ? ` — réf. ${sent.reference}` : ''} (brouillon ${draftId}, envoi ${utcText(sentAt)})`;
    await this.incidents.appendLog(id, { text, category: 'communication', verification: 'confirmed', key: true, eventAt: sentAt, tags: ['réglementaire'] }, author, journalAuthor);
    return (await this.draft(id, draftId)) satisfies DraftView;
  }

  /** Where every document's journal stands: printed on an exported draft. */
  async journalHead(id: string): Promise<string> {
    for (const part of ['meta', 'log', 'regulatory'] as const) await (await this.rooms.get(docName(id, part))).whenDurable();
    return incidentHeadRef(await incidentHeads(this.store, id));
  }

  private async meta(id: string): Promise<IncidentMeta> {
    const meta = (await this.rooms.get(docName(id, 'meta'))).read((d) => new MetaDoc(d).get());
    if (!meta) throw new AppError('INTERNAL', `incident ${id} has no readable metadata`);
    return meta;
  }

  private async drafts(id: string): Promise<RegulatoryDraft[]> {
    return (await this.rooms.get(docName(id, 'regulatory'))).read(readRegulatory);
  }
}

export function viewOf(draft: RegulatoryDraft, clocks: readonly Clock[], now: Date): DraftView {
  const deadline = clockOfDraft(clocks, draft.kind);
  const missing = missingFields(draft, lateAfter(deadline), now);
  return { draft, deadline, missing, complete: missing.length === 0 };
}
