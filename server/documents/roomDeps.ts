import type { DocName } from '../../shared/model/parts';
import type { DocumentStore, JournalRecord } from '../storage/documentStore';
import type { Fanout } from '../fanout/fanout';
import type { Logger } from '../logger';
import type { DocumentRoom } from './room';
import type { RoomMetrics } from './roomMetrics';

/** How the room hands durable updates and presence to the transport, which owns the sockets. */
export interface RoomDelivery {
  update(doc: DocName, update: Uint8Array, seq: number, exceptSession: string | null): void;
  awareness(doc: DocName, update: Uint8Array, exceptSession: string | null): void;
}

/** What a room is built with: the backends it writes to and the transport it delivers through. */
export interface RoomDeps {
  store: DocumentStore;
  fanout: Fanout;
  delivery: RoomDelivery;
  logger: Logger;
  metrics: RoomMetrics;
  /** Called after records of this document are committed (e.g. to refresh the incident list). */
  onCommitted?: (room: DocumentRoom, records: JournalRecord[]) => void;
}

/** What a joining client is sent: what it lacks, the server's state vector, the last seq. */
export interface JoinState {
  updates: Uint8Array[];
  stateVector: Uint8Array;
  seq: number;
}
