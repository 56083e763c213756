import { CrisisClient } from '../../client/sdk/crisisClient';
import type { IncidentSession } from '../../client/sdk/incidentSession';
import type { LogEntry } from '../../shared/model/log';
import { nowMs } from './stats';

export interface FleetMember {
  client: CrisisClient;
  session: IncidentSession;
}

/** Connects `count` SDK clients (spread over `urls`) to one incident and waits until all are synced. */
export async function connectFleet(urls: string[], incidentId: string, count: number, indices?: number[]): Promise<FleetMember[]> {
  const members: FleetMember[] = [];
  for (let k = 0; k < count; k++) {
    const i = indices?.[k] ?? k;
    const client = new CrisisClient({ url: urls[i % urls.length]!, name: `bench-${i}`, socket: { reconnectionDelay: 100, reconnectionDelayMax: 500 } });
    members.push({ client, session: await client.openIncident(incidentId) });
  }
  await Promise.all(members.map((m) => m.session.whenSynced()));
  return members;
}

/** Calls `onEntry` with each log entry as it arrives at `session`, with the arrival time. */
export function observeArrivals(session: IncidentSession, onEntry: (entry: LogEntry, at: number) => void): void {
  session.log.onAppended((entries) => {
    const at = nowMs();
    for (const entry of entries) onEntry(entry, at);
  });
}

export function closeFleet(members: FleetMember[]): void {
  for (const m of members) m.client.close();
}
