import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import { CrisisClient } from '../../client/sdk/crisisClient';
import type { IncidentSession } from '../../client/sdk/incidentSession';
import type { WireError } from '../../shared/protocol/errors';
import type { IncidentState } from '../../shared/model/incident';
import { onTeardown } from './testServer';
import { adminToken, testUser } from './accounts';

/** A client with extra socket options (e.g. `autoConnect: false` to start offline); closed at teardown. */
export function connectClientWith(url: string, name: string, socket: Partial<ManagerOptions & SocketOptions> = {}): CrisisClient {
  const client = new CrisisClient({ url, name, token: () => testUser(url, name).then((u) => u.token), socket: { reconnectionDelay: 50, reconnectionDelayMax: 200, ...socket } });
  onTeardown(() => client.close());
  return client;
}

/** A `subscribe` for waitFor: any document change or pending-count change of any of the sessions. */
export function sessionChanges(...sessions: IncidentSession[]): (notify: () => void) => () => void {
  return (notify) => {
    const offs: Array<() => void> = [];
    for (const s of sessions) {
      // session.onChange follows a part's document when a refusal replaces it.
      offs.push(s.onChange('log', notify), s.onChange('tasks', notify), s.onChange('decisions', notify), s.onChange('reports', notify), s.onChange('meta', notify), s.onPending(notify));
    }
    return () => {
      for (const off of offs) off();
    };
  };
}

/** A `subscribe` for waitFor: status changes of the clients. */
export function statusChanges(...clients: CrisisClient[]): (notify: () => void) => () => void {
  return (notify) => {
    const offs = clients.map((c) => c.onStatus(() => notify()));
    return () => {
      for (const off of offs) off();
    };
  };
}

/** Records every edit the server refused for good, so a test can assert there were none. */
export function collectRejections(...sessions: IncidentSession[]): WireError[] {
  const out: WireError[] = [];
  for (const s of sessions) s.onRejected((e) => out.push(e));
  return out;
}

export async function getIncidentState(url: string, id: string): Promise<IncidentState> {
  const res = await fetch(`${url}/api/incidents/${id}`, { headers: { authorization: `Bearer ${await adminToken(url)}` } });
  if (res.status !== 200) throw new Error(`GET incident ${id}: ${res.status} ${await res.text()}`);
  return (await res.json()) as IncidentState;
}

export function logIds(session: IncidentSession): string[] {
  return session.log.entries().map((e) => e.id);
}

/** Resolves on the next turn of the event loop (after I/O), so bursts of edits interleave. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
