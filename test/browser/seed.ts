import * as Y from 'yjs';
import { docName } from '../../shared/model/parts';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { TaskBoardDoc } from '../../shared/docs/taskBoardDoc';
import { DecisionsDoc } from '../../shared/docs/decisionsDoc';
import type { LogEntryInput } from '../../shared/model/log';
import type { TaskInput } from '../../shared/model/tasks';
import type { DecisionInput, DecisionStatus } from '../../shared/model/decisions';
import type { RunningServer } from '../../server/createServer';

/** Writes on the server on someone's behalf, at a chosen time (as if written then). */
export async function seedLog(server: RunningServer, incidentId: string, items: Array<{ at: Date; author: string; input: LogEntryInput }>): Promise<string[]> {
  const room = await server.rooms.get(docName(incidentId, 'log'));
  const ids: string[] = [];
  await room.change('seed', (doc: Y.Doc) => {
    const log = new LogDoc(doc);
    for (const item of items) ids.push(log.append(buildLogEntry(item.input, item.author, item.at)).id);
  });
  return ids;
}

export async function seedTask(server: RunningServer, incidentId: string, input: TaskInput, author: string, at: Date): Promise<string> {
  const room = await server.rooms.get(docName(incidentId, 'tasks'));
  let id = '';
  await room.change(author, (doc: Y.Doc) => {
    id = new TaskBoardDoc(doc).create(input, author, at).id;
  });
  return id;
}

export async function seedDecision(
  server: RunningServer,
  incidentId: string,
  input: DecisionInput,
  author: string,
  at: Date,
  later: Array<{ status: DecisionStatus; by: string; at: Date; note?: string }> = [],
): Promise<string> {
  const room = await server.rooms.get(docName(incidentId, 'decisions'));
  let id = '';
  await room.change(author, (doc: Y.Doc) => {
    const decisions = new DecisionsDoc(doc);
    id = decisions.record(input, author, at).id;
    for (const step of later) decisions.setStatus(id, step.status, step.by, step.at, step.note ?? null);
  });
  return id;
}

/** Thousands of entries written over the last hours, straight into the log room (shared with the client bench). */
export { seedManyEntries } from '../../bench/lib/seedLog';
