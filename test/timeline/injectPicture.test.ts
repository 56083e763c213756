import type { TimelineEvent } from '../../shared/timeline/events';
import { PictureCollector } from '../../shared/timeline/picture/collector';
import { layoutPicture } from '../../shared/timeline/picture/geometry';
import { injectReactions } from '../../shared/timeline/picture/reactions';
import { renderSvg } from '../../shared/timeline/picture/svg';

/** An exercise on the picture: injects on their own lane, and a line from each to the reactions that refer to it. */

const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const base = (n: number, minutes: number) => ({ id: `e:${n}:0`, at: at(minutes), eventAt: null, author: 'Anne', authorId: 'u1', ref: null });

function entry(n: number, minutes: number, entryId: string, extra: { inject?: boolean; replyTo?: string } = {}): TimelineEvent {
  return {
    ...base(n, minutes),
    kind: 'log.entry',
    data: {
      entryId,
      category: 'information',
      severity: 'low',
      verification: 'to_check',
      key: false,
      text: `entrée ${entryId}`,
      source: null,
      tags: [],
      amends: null,
      writtenBy: 'Anne',
      ...(extra.inject ? { inject: { id: `inj-${entryId}`, channel: 'phone' as const, from: 'ARS', to: null, exerciseSeconds: minutes * 60 } } : {}),
      ...(extra.replyTo ? { replyTo: extra.replyTo } : {}),
    },
  };
}

function taskCreated(n: number, minutes: number, taskId: string): TimelineEvent {
  return { ...base(n, minutes), kind: 'task.created', data: { taskId, title: 'Rappeler', status: 'todo', assignee: null, priority: 'normal', dueAt: null } };
}

function taskLinked(n: number, minutes: number, taskId: string, from: string[], to: string[]): TimelineEvent {
  return { ...base(n, minutes), kind: 'task.updated', data: { taskId, title: 'Rappeler', changes: { logLinks: { from, to } } } };
}

function decisionApproved(n: number, minutes: number, decisionId: string): TimelineEvent {
  return { ...base(n, minutes), kind: 'decision.approved', data: { decisionId, title: 'Couper', status: 'approved', statement: 'Couper', by: 'Anne', note: null, supersedes: null, supersededBy: null } };
}

const EVENTS: TimelineEvent[] = [
  entry(1, 0, 'inject1', { inject: true }),
  entry(2, 3, 'plain'),
  entry(3, 5, 'reply1', { replyTo: 'inject1' }),
  // Answers a plain entry: not a reaction to an inject.
  entry(4, 6, 'reply2', { replyTo: 'plain' }),
  taskCreated(5, 8, 'task1'),
  entry(6, 10, 'inject2', { inject: true }),
  taskCreated(7, 12, 'task2'),
  taskLinked(8, 20, 'task2', [], ['inject2']),
  decisionApproved(9, 25, 'dec1'),
];
const REFS = { taskLinks: new Map([['task1', ['inject1']], ['task2', ['inject2']]]), decisionBases: new Map([['dec1', ['inject1', 'plain']]]) };

function picture(events: TimelineEvent[], window?: { fromMs: number; toMs: number }) {
  const collector = new PictureCollector('en', 'UTC');
  for (const e of events) collector.add(e);
  return layoutPicture(
    { title: 'Exercice', openedAt: at(0), detectedAt: null, closedAt: null, deadlines: [], data: collector.data(), timeZone: 'UTC', lang: 'en', ...(window ? { window } : {}), reactions: injectReactions(events, REFS) },
    { width: 1000, labelWidth: 200, laneHeight: 20 },
  );
}

describe('injects and their reactions on the picture', () => {
  test('each reaction once, at the event that made it refer to the inject: an answer, a task (created linked, or linked later), a decision', () => {
    const pairs = injectReactions(EVENTS, REFS);
    expect(pairs.map((p) => [p.kind, p.injectEntryId, p.reactionId, (p.reactionMs - T0) / 60_000, p.reactionLane])).toEqual([
      ['reply', 'inject1', 'reply1', 5, 'log:information'],
      ['task', 'inject1', 'task1', 8, 'tasks'],
      // Linked by an update at T+20, not at its creation (T+12).
      ['task', 'inject2', 'task2', 20, 'tasks'],
      ['decision', 'inject1', 'dec1', 25, 'decisions'],
    ]);
    // No inject, no pair (a real incident).
    expect(injectReactions(EVENTS.filter((e) => e.kind !== 'log.entry' || !e.data.inject), REFS)).toEqual([]);
  });

  test('as the debrief counts them: a withdrawn answer and an inject are no reaction; a link made at creation counts even if removed later', () => {
    const withdrawn = entry(10, 6, 'oops', { replyTo: 'inject1' });
    if (withdrawn.kind === 'log.entry') withdrawn.data.withdrawn = { at: at(7) };
    const events = [
      entry(1, 0, 'inject1', { inject: true }),
      withdrawn,
      entry(11, 7, 'inject3', { inject: true, replyTo: 'inject1' }),
      taskCreated(12, 8, 'task3'),
      taskLinked(13, 9, 'task3', ['inject1'], []),
    ];
    expect(injectReactions(events, {}).map((p) => [p.kind, p.reactionId, (p.reactionMs - T0) / 60_000])).toEqual([['task', 'task3', 8]]);
  });

  test('the injects have their own lane, a flag each, and a line from the inject to each reaction in view', () => {
    const g = picture(EVENTS);
    const injects = g.lanes.find((l) => l.id === 'injects')!;
    expect(injects.count).toBe(2);
    expect(g.lanes.map((l) => l.id).slice(0, 2)).toEqual(['incident', 'injects']);
    const flags = g.marks.filter((m) => m.shape === 'flag');
    expect(flags.map((m) => m.y)).toEqual([injects.y + injects.height / 2, injects.y + injects.height / 2]);
    expect(g.links).toHaveLength(4);
    const tasks = g.lanes.find((l) => l.id === 'tasks')!;
    const toTask1 = g.links.find((l) => l.reactionId === 'task1')!;
    expect(toTask1.x1).toBeCloseTo(flags[0]!.x);
    expect(toTask1.y1).toBe(injects.y + injects.height / 2);
    expect(toTask1.y2).toBe(tasks.y + tasks.height / 2);
    expect(toTask1.x2).toBeGreaterThan(toTask1.x1);
    // Drawn in the SVG export too.
    expect(renderSvg(g).match(/<line [^>]*stroke="#6929c4"/g)).toHaveLength(4);
  });

  test('a line only when both ends are in the window', () => {
    const g = picture(EVENTS, { fromMs: T0 + 9 * 60_000, toMs: T0 + 30 * 60_000 });
    // inject1 (T+0) is out of view: only inject2 → task2 stays.
    expect(g.links.map((l) => [l.injectEntryId, l.reactionId])).toEqual([['inject2', 'task2']]);
  });

  test('a real incident has no injects lane and no line', () => {
    const g = picture(EVENTS.filter((e) => e.kind !== 'log.entry' || !e.data.inject));
    expect(g.lanes.some((l) => l.id === 'injects')).toBe(false);
    expect(g.links).toEqual([]);
  });
});
