import type { RoomMetrics } from '../../server/documents/roomMetrics';

const idle = { inc: () => undefined, observe: () => undefined };

/** Room metrics that record nothing: for tests that build rooms without the server's prom-client registry. */
export const IDLE_ROOM_METRICS: RoomMetrics = { updates: idle, catchUps: idle, materialised: idle, commitSeconds: idle, publishSeconds: idle };
