import type * as Y from 'yjs';
import type { DocName, DocPart } from '../../shared/model/parts';
import type { DocumentStore, JournalRecord } from '../storage/documentStore';
import type { Fanout } from '../fanout/fanout';
import type { Logger } from '../logger';
import type { RoomMetrics } from './roomMetrics';
import type { SnapshotCompactor } from './snapshotCompactor';

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
  /** Builds the rooms' snapshots off the event loop (one per process). */
  snapshots: SnapshotCompactor;
  /** Called after records of this document are committed (e.g. to refresh the incident list). */
  onCommitted?: (room: CommittedRoom, records: JournalRecord[]) => void;
}

/** What a joining client is sent: what it lacks, the server's state vector, the last seq. */
export interface JoinState {
  updates: Uint8Array[];
  stateVector: Uint8Array;
  seq: number;
}

/** What a commit listener sees of the room (a DocumentRoom is one): its name, part and a read of its document. */
export interface CommittedRoom {
  readonly name: DocName;
  readonly part: DocPart;
  read<T>(fn: (doc: Y.Doc) => T): T;
}
