import { type Handover, HandoverSchema } from '../../../shared/protocol/handover';
import { request } from './http';

const base = (incidentId: string) => `/api/incidents/${encodeURIComponent(incidentId)}`;

/** "What happened since I left": from `since` (ISO), or from my last recorded departure. */
export function getHandover(incidentId: string, since: string | null): Promise<Handover> {
  return request(`${base(incidentId)}/handover${since ? `?since=${encodeURIComponent(since)}` : ''}`, HandoverSchema);
}

/** Records "I leave now": the start of my next handover. */
export function recordDeparture(incidentId: string): Promise<void> {
  return request(`${base(incidentId)}/visit`, null, { method: 'POST' });
}
