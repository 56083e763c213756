import type * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CrisisClient, ConnectionStatus } from '../../sdk/crisisClient';
import type { IncidentSession } from '../../sdk/incidentSession';
import { DOC_PARTS, DocName, DocPart, docName } from '../../../shared/model/parts';
import { localJson } from './settings';

/**
 * One CrisisClient per page and per display name. Every document is kept in IndexedDB
 * (attached in the SDK's onDocument hook, before the document syncs), so a reload without
 * the server shows the last state and offline edits survive until they are sent.
 */
interface Connection {
  name: string;
  client: CrisisClient;
  stores: Map<DocName, IndexeddbPersistence>;
}

let connection: Connection | null = null;

function dbName(name: DocName): string {
  return `crisis-cell:${name}`;
}

export function getClient(name: string): CrisisClient {
  if (connection && connection.name === name) return connection.client;
  connection?.client.close();
  const stores = new Map<DocName, IndexeddbPersistence>();
  const client = new CrisisClient({
    url: location.origin,
    name,
    onDocument: async (doc: DocName, ydoc: Y.Doc) => {
      stores.get(doc)?.destroy();
      const store = new IndexeddbPersistence(dbName(doc), ydoc);
      stores.set(doc, store);
      try {
        await store.whenSynced;
      } catch {
        // IndexedDB unavailable (private mode): the document works, only without the local copy.
      }
    },
  });
  connection = { name, client, stores };
  return client;
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

/**
 * Which records were changed here and not yet confirmed by the server, per document part.
 * Kept in localStorage so that a reload while offline still marks them; a part's marks are
 * cleared when the server has acknowledged everything of that part.
 */
export class WaitingMarks {
  private readonly ids: Record<Exclude<DocPart, 'meta'>, Set<string>>;
  private readonly listeners = new Set<() => void>();
  private readonly key: string;

  constructor(incidentId: string) {
    this.key = `crisis.waiting.${incidentId}`;
    const saved = localJson.get<Partial<Record<string, string[]>>>(this.key, {});
    this.ids = { log: new Set(saved.log ?? []), tasks: new Set(saved.tasks ?? []), decisions: new Set(saved.decisions ?? []) };
  }

  add(part: Exclude<DocPart, 'meta'>, id: string): void {
    this.ids[part].add(id);
    this.save();
  }

  has(id: string): boolean {
    return this.ids.log.has(id) || this.ids.tasks.has(id) || this.ids.decisions.has(id);
  }

  get size(): number {
    return this.ids.log.size + this.ids.tasks.size + this.ids.decisions.size;
  }

  clear(part: Exclude<DocPart, 'meta'>): void {
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

/** Opens an incident for the time the component is mounted: local copy first, then live sync. */
export function useIncident(name: string, incidentId: string): { open: OpenIncident | null; error: string | null } {
  const [state, setState] = useState<{ open: OpenIncident | null; error: string | null }>({ open: null, error: null });
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    setState({ open: null, error: null });
    const client = getClient(name);
    let session: IncidentSession | null = null;
    let cleanup: Array<() => void> = [];
    void client
      .openIncident(incidentId)
      .then((s) => {
        session = s;
        if (!alive.current) {
          s.close();
          releaseStores(incidentId);
          return;
        }
        const marks = new WaitingMarks(incidentId);
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
  }, [name, incidentId]);
  return state;
}
