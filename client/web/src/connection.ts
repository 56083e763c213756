import type * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CrisisClient, ConnectionStatus, SessionEnd } from '../../sdk/crisisClient';
import { defaultInflater } from '../../sdk/inflate';
import type { IncidentSession } from '../../sdk/incidentSession';
import { DOC_PARTS, DocName, DocPart, docName } from '../../../shared/model/parts';
import { localJson } from './settings';
import { openLocalCopy } from './localCopy';

/** Who is using the page: from GET /api/auth/me. The display name signs every record. */
export interface Identity {
  userId: string;
  name: string;
}

/**
 * One CrisisClient per page and per account. The socket carries the session cookie (same
 * origin), so no token is given. Every document is kept in IndexedDB (attached in the SDK's
 * onDocument hook, before the document syncs), so a reload without the server shows the last
 * state and offline edits survive until they are sent. The local copies are kept per account:
 * edits one person made offline are never sent under another's session.
 */
interface Connection {
  identity: Identity;
  client: CrisisClient;
  stores: Map<DocName, IndexeddbPersistence>;
}

let connection: Connection | null = null;
let endHandler: ((e: SessionEnd) => void) | null = null;
/** Incidents whose access the server ended (REMOVED_FROM_INCIDENT), for their pages to say so. */
const incidentEnds = new Map<string, SessionEnd>();
const incidentEndListeners = new Set<() => void>();

/**
 * Who hears that the server ended access with a reason (`session:end`, or a refused handshake):
 * for the whole session (no `incidentId`: log in again) or for one incident.
 */
export function onConnectionEnded(handler: (e: SessionEnd) => void): void {
  endHandler = handler;
}

function dbName(userId: string, name: DocName): string {
  return `crisis-cell:${userId}:${name}`;
}

export function getClient(identity: Identity): CrisisClient {
  if (connection && connection.identity.userId === identity.userId && connection.identity.name === identity.name) return connection.client;
  closeConnection();
  const stores = new Map<DocName, IndexeddbPersistence>();
  const client = new CrisisClient({
    url: location.origin,
    name: identity.name,
    // Phones and tablets join over Wi-Fi or 4G, often all at once after a cut: large answers compressed.
    inflater: defaultInflater(),
    onDocument: async (doc: DocName, ydoc: Y.Doc) => {
      stores.get(doc)?.destroy();
      const store = openLocalCopy(dbName(identity.userId, doc), ydoc);
      stores.set(doc, store);
      try {
        await store.whenSynced;
      } catch {
        // IndexedDB unavailable (private mode): the document works, only without the local copy.
      }
    },
  });
  client.onEnd((e) => {
    if (e.incidentId !== undefined) {
      incidentEnds.set(e.incidentId, e);
      for (const l of incidentEndListeners) l();
    }
    endHandler?.(e);
  });
  connection = { identity, client, stores };
  return client;
}

/** Closes the socket and detaches the local copies (logout, session ended). */
export function closeConnection(): void {
  if (!connection) return;
  const { client, stores } = connection;
  connection = null;
  incidentEnds.clear();
  client.close();
  for (const store of stores.values()) void store.destroy();
  stores.clear();
}

/** y-indexeddb's object store of a document's updates (its own schema: `updates` and `custom`). */
function clearStoredUpdates(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('updates', { autoIncrement: true });
      request.result.createObjectStore('custom');
    };
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction('updates', 'readwrite');
      tx.objectStore('updates').clear();
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = tx.onabort = () => {
        db.close();
        reject(tx.error);
      };
    };
  });
}

const resets = new Map<DocName, Promise<void>>();

/**
 * After a refused edit the SDK replaced a document (the server's state plus the edits still
 * pending): the browser's copy is replaced too, its stored updates cleared and the new state
 * written, so that a reload never brings the refused edit back. One reset at a time per document.
 */
function resetLocalCopy(userId: string, name: DocName, doc: Y.Doc, isOpen: () => boolean): void {
  const run = async () => {
    const stores = connection?.stores;
    if (!stores || !isOpen()) return;
    const old = stores.get(name);
    stores.delete(name);
    await old?.destroy();
    try {
      await clearStoredUpdates(dbName(userId, name));
    } catch {
      // IndexedDB unavailable: there was no local copy to clear.
      return;
    }
    if (connection?.stores !== stores || !isOpen()) return;
    // Writes the document's whole state as it opens, then every update after.
    stores.set(name, openLocalCopy(dbName(userId, name), doc));
  };
  const next = (resets.get(name) ?? Promise.resolve()).then(run, run);
  resets.set(name, next);
}

/** Detaches the local copies of an incident's documents (they stay in IndexedDB). */
function releaseStores(incidentId: string): void {
  if (!connection) return;
  for (const part of DOC_PARTS) {
    const n = docName(incidentId, part);
    const store = connection.stores.get(n);
    if (store) {
      void store.destroy();
      connection.stores.delete(n);
    }
  }
}

/**
 * Deletes this browser's copies of an incident once the user is no longer a member: nothing of
 * it stays on the device. (Edits still waiting would be refused by the server anyway.)
 */
export function forgetIncidentLocally(userId: string, incidentId: string): void {
  for (const part of DOC_PARTS) {
    try {
      // Waits, if need be, for the copies still open to close.
      indexedDB.deleteDatabase(dbName(userId, docName(incidentId, part)));
    } catch {
      // IndexedDB unavailable: nothing was kept.
    }
  }
  localJson.set(`crisis.waiting.${userId}.${incidentId}`, null);
}

// When the operating system says the network is gone, drop the socket at once rather than
// waiting for the ping timeout; reconnect as soon as it says the network is back.
let watching = false;
export function watchNetwork(): void {
  if (watching) return;
  watching = true;
  window.addEventListener('offline', () => connection?.client.goOffline());
  window.addEventListener('online', () => connection?.client.goOnline());
}

export function reconnect(): void {
  connection?.client.goOnline();
}

/** Why access to the incident ended while this page had it open (removed from it), else null. */
export function useIncidentEnd(incidentId: string): SessionEnd | null {
  const [end, setEnd] = useState<SessionEnd | null>(() => incidentEnds.get(incidentId) ?? null);
  useEffect(() => {
    const update = () => setEnd(incidentEnds.get(incidentId) ?? null);
    update();
    incidentEndListeners.add(update);
    return () => {
      incidentEndListeners.delete(update);
    };
  }, [incidentId]);
  return end;
}

/** Forgets an incident's end when its page closes: opened again later, the server decides anew. */
export function clearIncidentEnd(incidentId: string): void {
  if (incidentEnds.delete(incidentId)) for (const l of incidentEndListeners) l();
}

export type Tick = number;

/** Re-renders (at most once per frame) whenever `subscribe` signals. */
export function useSignal(subscribe: ((notify: () => void) => () => void) | null): Tick {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!subscribe) return undefined;
    let frame = 0;
    const notify = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setTick((n) => n + 1);
      });
    };
    const off = subscribe(notify);
    // Whatever changed between the render and this subscription (a join reply, say) counts too.
    notify();
    return () => {
      off();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [subscribe]);
  return tick;
}

export function useStatus(client: CrisisClient | null): ConnectionStatus {
  const [status, setStatus] = useState<ConnectionStatus>(client?.status ?? 'connecting');
  useEffect(() => {
    if (!client) return undefined;
    setStatus(client.status);
    const off = client.onStatus(setStatus);
    return () => void off();
  }, [client]);
  return status;
}

/** What a status display shows: the state, when the server was last heard from, why it ended. */
export interface ConnectionView {
  status: ConnectionStatus;
  lastContact: Date | null;
  endReason: SessionEnd | null;
}

/** The connection's state for display; re-renders on every status change (contact times are read then). */
export function useConnection(client: CrisisClient | null): ConnectionView {
  const status = useStatus(client);
  return { status, lastContact: client?.lastContact ?? null, endReason: client?.endReason ?? null };
}

type MarkedPart = Exclude<DocPart, 'meta'>;

/**
 * Which records were changed here and not yet confirmed by the server, per document part.
 * Kept in localStorage so that a reload while offline still marks them; a part's marks are
 * cleared when the server has acknowledged everything of that part.
 */
export class WaitingMarks {
  private readonly ids: Record<MarkedPart, Set<string>>;
  private readonly listeners = new Set<() => void>();
  private readonly key: string;

  constructor(userId: string, incidentId: string) {
    this.key = `crisis.waiting.${userId}.${incidentId}`;
    const saved = localJson.get<Partial<Record<string, string[]>>>(this.key, {});
    const marked = (part: MarkedPart) => new Set(saved[part] ?? []);
    this.ids = { log: marked('log'), tasks: marked('tasks'), decisions: marked('decisions'), reports: marked('reports'), regulatory: marked('regulatory') };
  }

  add(part: MarkedPart, id: string): void {
    this.ids[part].add(id);
    this.save();
  }

  has(id: string): boolean {
    return Object.values(this.ids).some((ids) => ids.has(id));
  }

  get size(): number {
    return Object.values(this.ids).reduce((n, ids) => n + ids.size, 0);
  }

  clear(part: MarkedPart): void {
    if (this.ids[part].size === 0) return;
    this.ids[part].clear();
    this.save();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private save(): void {
    const { log, tasks, decisions } = this.ids;
    localJson.set(this.key, log.size + tasks.size + decisions.size === 0 ? null : { log: [...log], tasks: [...tasks], decisions: [...decisions] });
    for (const l of this.listeners) l();
  }
}

export interface OpenIncident {
  session: IncidentSession;
  client: CrisisClient;
  marks: WaitingMarks;
}

/**
 * Opens an incident for the time the component is mounted (and `enabled`: not once the server
 * said I am not a member): local copy first, then live sync.
 */
export function useIncident(identity: Identity, incidentId: string, enabled = true, readOnly = false): { open: OpenIncident | null; error: string | null } {
  const [state, setState] = useState<{ open: OpenIncident | null; error: string | null }>({ open: null, error: null });
  const alive = useRef(true);
  // The effect keys on who the user is, not on the identity object (a new object for the same user keeps the incident open).
  const { userId, name } = identity;
  useEffect(() => {
    alive.current = true;
    setState({ open: null, error: null });
    if (!enabled) return undefined;
    const client = getClient({ userId, name });
    let session: IncidentSession | null = null;
    let cleanup: Array<() => void> = [];
    void client
      .openIncident(incidentId, { readOnly })
      .then((s) => {
        session = s;
        if (!alive.current) {
          s.close();
          releaseStores(incidentId);
          return;
        }
        cleanup.push(s.onReset((part, doc) => resetLocalCopy(userId, docName(incidentId, part), doc, () => alive.current)));
        const marks = new WaitingMarks(userId, incidentId);
        for (const part of ['log', 'tasks', 'decisions'] as const) {
          const sync = s.syncs[part];
          const settle = () => {
            if (sync.pendingCount === 0 && sync.isSynced && client.status === 'live') marks.clear(part);
          };
          // After a reload, what the server lacks is sent at join without being counted by the
          // SDK; its acknowledgement still signals 'pending' (0). Should nothing have been
          // missing, no signal comes: settle a moment after the join.
          let timer: ReturnType<typeof setTimeout> | undefined;
          const afterJoin = () => {
            clearTimeout(timer);
            timer = setTimeout(settle, 3_000);
          };
          cleanup.push(sync.on('pending', settle), sync.on('synced', afterJoin), () => clearTimeout(timer));
          if (sync.isSynced) afterJoin();
        }
        setState({ open: { session: s, client, marks }, error: null });
      })
      .catch((err: unknown) => {
        if (alive.current) setState({ open: null, error: err instanceof Error ? err.message : String(err) });
      });
    return () => {
      alive.current = false;
      for (const c of cleanup) c();
      cleanup = [];
      if (session) {
        session.close();
        releaseStores(incidentId);
      }
    };
  }, [userId, name, incidentId, enabled, readOnly]);
  return state;
}
