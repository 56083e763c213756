import * as Y from 'yjs';
import { ROOTS, type DocName } from '../../shared/model/parts';
import type { IncidentRole } from '../../shared/auth/roles';
import { roleAllows } from '../../shared/auth/roles';
import type { DocumentRoom, RoomDelivery } from '../documents/room';

/**
 * Who reads situation-report drafts: those who may write (REST, `withoutReportDrafts`, and the
 * sockets, below, ask this one rule). Regulatory drafts are read by every role: observers see
 * the clocks and what was sent (GET …/regulatory is a reading route), so they stay on the part.
 */
export function readsReportDrafts(role: IncidentRole | null): boolean {
  return roleAllows(role, 'write');
}

/** The socket.io room of a reports document's published view. */
export function publishedChannel(doc: DocName): string {
  return `${doc}#published`;
}

/**
 * What a reader without draft rights is served instead of a reports document: a document of
 * the server's own holding a copy of each published report, nothing else (issue 13, item 4).
 * Published reports are sealed, so the copy only ever grows by whole reports: each is copied
 * once, when the source first shows it published. The reader's replica is built from this
 * document alone (it may not write to the part), so it never depends on a draft's items.
 */
export class PublishedReportsView {
  readonly doc = new Y.Doc();
  private readonly copied = new Set<string>();

  constructor(
    readonly room: DocumentRoom,
    private readonly deliver: (update: Uint8Array) => void,
  ) {}

  /** Copies what became published since the last call; its update goes to the view's readers. */
  refresh(): void {
    const updates: Uint8Array[] = [];
    const listener = (u: Uint8Array) => updates.push(u);
    this.doc.on('update', listener);
    try {
      this.room.read((source) => {
        const target = this.doc.getMap<Y.Map<unknown>>(ROOTS.reports);
        this.doc.transact(() => {
          for (const [id, value] of source.getMap<unknown>(ROOTS.reports).entries()) {
            if (this.copied.has(id) || !(value instanceof Y.Map) || value.get('status') !== 'published') continue;
            const copy = new Y.Map<unknown>();
            target.set(id, copy);
            for (const [key, field] of value.entries()) {
              if (field instanceof Y.Text) copy.set(key, new Y.Text(field.toString()));
              else if (field instanceof Y.AbstractType) copy.set(key, field.toJSON());
              else copy.set(key, field);
            }
            this.copied.add(id);
          }
        });
      });
    } finally {
      this.doc.off('update', listener);
    }
    for (const u of updates) this.deliver(u);
  }

  join(sv: Uint8Array): { updates: Uint8Array[]; stateVector: Uint8Array } {
    this.refresh();
    return { updates: [Y.encodeStateAsUpdate(this.doc, sv)], stateVector: Y.encodeStateVector(this.doc) };
  }
}

/** The published views of this node, one per reports document an observer joined. */
export class PublishedViews {
  private readonly views = new Map<string, PublishedReportsView>();

  constructor(private readonly deliver: (doc: DocName, update: Uint8Array) => void) {}

  of(room: DocumentRoom): PublishedReportsView {
    let view = this.views.get(room.name);
    // A room reloaded after going idle is a new object: the view follows it.
    if (!view || view.room !== room) {
      view?.doc.destroy();
      view = new PublishedReportsView(room, (u) => this.deliver(room.name, u));
      this.views.set(room.name, view);
    }
    return view;
  }

  /**
   * The source changed (a commit here or an update from another node): refresh its view, if
   * any (or make one for `room` when its readers came by a role change, not by a join).
   */
  changed(doc: DocName, room?: DocumentRoom): void {
    const view = this.views.get(doc) ?? (room ? this.of(room) : undefined);
    view?.refresh();
  }
}

/** A room delivery that also refreshes the published view of a reports document after each update it delivers. */
export function withPublishedViews(delivery: RoomDelivery, views: () => PublishedViews, readersWaiting: (doc: DocName) => DocumentRoom | undefined): RoomDelivery {
  return {
    update(doc, update, seq, exceptSession) {
      delivery.update(doc, update, seq, exceptSession);
      if (doc.endsWith(':reports')) views().changed(doc, readersWaiting(doc));
    },
    awareness: (doc, update, exceptSession) => delivery.awareness(doc, update, exceptSession),
  };
}
