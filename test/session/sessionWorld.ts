import * as Y from 'yjs';
import type { Config } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createMetrics } from '../../server/metrics';
import { openStore } from '../../server/storage/openStore';
import { InProcessFanout } from '../../server/fanout/inProcessFanout';
import { RoomRegistry } from '../../server/documents/roomRegistry';
import { IncidentService } from '../../server/incidents/incidentService';
import { openAccountStore } from '../../server/auth/openAccountStore';
import { AuditLog } from '../../server/audit/auditLog';
import { Revocations } from '../../server/auth/revocations';
import { MembershipService } from '../../server/policy/membershipService';
import { ClientBindings } from '../../server/policy/clientBindings';
import { UpdateAdmission } from '../../server/policy/updateAdmission';
import { RecentLogInserts } from '../../server/policy/logGrace';
import { UpdateBudgets } from '../../server/policy/updateBudgets';
import { SocketAccess } from '../../server/policy/socketAccess';
import { principalUser, type Principal } from '../../server/auth/principal';
import type { SocketIdentity } from '../../server/auth/socket/socketAuth';
import { ConnectionSession } from '../../server/session/connectionSession';
import type { IncidentRole } from '../../shared/auth/roles';
import { docName, type DocName, type DocPart } from '../../shared/model/parts';
import { EVENTS } from '../../shared/protocol/messages';
import { newId } from '../../shared/model/ids';
import { onTeardown, testConfig } from '../helpers/testServer';
import { MemoryChannels, MemoryClient, MemoryServerSocket, memorySocketPair } from './memorySocketPair';
import { SnapshotCompactor } from '../../server/documents/snapshotCompactor';

export interface Connected {
  client: MemoryClient;
  server: MemoryServerSocket;
  session: ConnectionSession;
  /** The client's own replica of each document it joined. */
  docs: Map<DocName, Y.Doc>;
}

/**
 * The server's parts below the transport, real and wired as createServer wires them (SQLite in
 * a temporary folder, the in-process fan-out), with sessions over in-memory sockets: no
 * socket.io, no network.
 */
export async function sessionWorld(overrides: Partial<Config> = {}) {
  const config = testConfig(overrides);
  const logger = createLogger('silent', 'session-test');
  const store = await openStore(config, logger);
  const fanout = new InProcessFanout('session-test');
  const channels = new MemoryChannels();
  const metrics = createMetrics({ connections: () => 0, documents: () => 0 });
  const rooms = new RoomRegistry({ store, fanout, logger, metrics: metrics.room, delivery: channels.delivery, snapshots: new SnapshotCompactor() }, 60_000);
  const incidents = new IncidentService(store, rooms);
  const accounts = await openAccountStore(store);
  const audit = new AuditLog(accounts, logger);
  const members = new MembershipService(accounts, audit, new Revocations(), logger);
  const bindings = new ClientBindings(accounts);
  const admission = new UpdateAdmission(
    bindings,
    new RecentLogInserts(config.logSealGraceSeconds * 1000),
    { aheadMs: config.recordedTimeAheadSeconds * 1000, behindMs: config.recordedTimeBehindSeconds * 1000 },
    new UpdateBudgets(config),
  );
  const access = new SocketAccess(incidents, members, admission, bindings, audit, audit, config.budgetDocsPerSocket);
  const left: Array<{ doc: DocName; userId: string }> = [];
  onTeardown(async () => {
    await rooms.closeAll();
    await audit.close();
    await accounts.close();
    await fanout.close();
    await store.close();
  });

  const director = await user('Director');
  const incident = await incidents.create({ title: 'Panne réseau', severity: 'high', detectedAt: new Date().toISOString() }, director.principal.user.id);
  await accounts.setMembership({ incidentId: incident.id, userId: director.principal.user.id, role: 'director', grantedBy: null, grantedAt: new Date() });

  async function user(name: string, role?: IncidentRole): Promise<SocketIdentity> {
    const id = newId();
    await accounts.createUser({ id, email: `${name.toLowerCase()}-${id}@crisis.test`, displayName: name, passwordHash: 'x', isAdmin: false, disabled: false, totpSecret: null, totpEnabled: false, totpLastStep: 0, createdAt: new Date() });
    const record = (await accounts.getUser(id))!;
    const principal: Principal = { user: principalUser(record), via: 'token', credential: `token-${id}`, expiresAt: null };
    if (role) await accounts.setMembership({ incidentId: incident.id, userId: id, role, grantedBy: null, grantedAt: new Date() });
    return { principal, author: id, ip: '127.0.0.1' };
  }

  let sockets = 0;
  function connect(identity: SocketIdentity, rate = { perSecond: config.socketRatePerSecond, burst: config.socketRateBurst }): Connected {
    const { client, server } = memorySocketPair(`${identity.principal.user.displayName}-${++sockets}`, channels);
    const session = new ConnectionSession(server, identity, { rooms, access, logger, rate, onLeft: (doc, userId) => left.push({ doc, userId }) });
    const docs = new Map<DocName, Y.Doc>();
    onTeardown(() => client.close());
    return { client, server, session, docs };
  }

  /** Joins `part` of the incident and builds the client's replica from the answer. */
  async function join(c: Connected, part: DocPart = 'log') {
    const doc = docName(incident.id, part);
    const replica = c.docs.get(doc) ?? new Y.Doc();
    const answer = await c.client.request(EVENTS.join, { doc, stateVector: Y.encodeStateVector(replica) });
    if (answer.ok) {
      for (const u of answer.updates as Uint8Array[]) Y.applyUpdate(replica, u);
      c.docs.set(doc, replica);
    }
    return answer;
  }

  return { config, store, rooms, incidents, accounts, audit, bindings, channels, incident, director, left, user, connect, join, doc: (part: DocPart) => docName(incident.id, part) };
}

/** What a change to `doc` made by `edit` sends: the update of that one transaction. */
export function editOf(doc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  let captured: Uint8Array | null = null;
  const capture = (u: Uint8Array) => (captured = u);
  doc.on('update', capture);
  try {
    edit(doc);
  } finally {
    doc.off('update', capture);
  }
  if (!captured) throw new Error('the edit changed nothing');
  return captured;
}
