import * as Y from 'yjs';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { CrisisClient } from '../../client/sdk/crisisClient';
import type { Config } from '../../server/config';
import type { RunningServer } from '../../server/createServer';
import { DOC_PARTS, DocName, docName } from '../../shared/model/parts';
import { createUser, setRole, TestUser } from '../helpers/accounts';
import { incidentSnapshot, ServerDocState } from '../helpers/rawSocket';
import { createIncident, onTeardown, startTestServer } from '../helpers/testServer';
import { within } from '../helpers/poll';

export type SessionUser = TestUser & { cookie: string };

export interface SecurityCtx {
  server: RunningServer;
  url: string;
  id: string;
  /** Member (writes). */
  alice: SessionUser;
  /** Another member. */
  bob: SessionUser;
  /** Observer (reads only). */
  olga: SessionUser;
  /** Has an account, but no role in the incident. */
  nina: SessionUser;
  names: Record<(typeof DOC_PARTS)[number], DocName>;
}

/** A server, an incident directed by the administrator, and users holding each role (and none). */
export async function securitySetup(config: Partial<Config> = {}): Promise<SecurityCtx> {
  const server = await startTestServer(config);
  const url = server.url;
  const id = await createIncident(url);
  const [alice, bob, olga, nina] = await Promise.all(['Alice', 'Bob', 'Olga', 'Nina'].map((n) => createUser(url, n)));
  expect((await setRole(url, id, alice!.id, 'member')).status).toBe(200);
  expect((await setRole(url, id, bob!.id, 'member')).status).toBe(200);
  expect((await setRole(url, id, olga!.id, 'observer')).status).toBe(200);
  const names = Object.fromEntries(DOC_PARTS.map((p) => [p, docName(id, p)])) as SecurityCtx['names'];
  return { server, url, id, alice: alice!, bob: bob!, olga: olga!, nina: nina!, names };
}

/** An SDK client logged in with `user`'s API token. */
export function clientAs(url: string, user: TestUser, socket: Partial<ManagerOptions & SocketOptions> = {}): CrisisClient {
  const client = new CrisisClient({ url, name: user.name, token: user.token, socket: { reconnectionDelay: 50, reconnectionDelayMax: 200, ...socket } });
  onTeardown(() => client.close());
  return client;
}

/** A bare socket of `user`, once connected. */
export async function socketAs(url: string, user: TestUser, socket: Partial<ManagerOptions & SocketOptions> = {}): Promise<Socket> {
  const s = clientAs(url, user, socket).socket;
  if (s.connected) return s;
  const connected = new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (err) => reject(err));
  });
  await within(connected, 10_000, 'socket did not connect');
  return s;
}

/** Everything the server holds of the incident: each part's content, state vector and journal head. */
export async function documents(ctx: Pick<SecurityCtx, 'server' | 'id'>): Promise<Record<string, ServerDocState>> {
  return incidentSnapshot(ctx.server, ctx.id);
}

/** The update one transaction on `doc` produces. */
export function transactionUpdate(doc: Y.Doc, fn: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const listener = (u: Uint8Array) => updates.push(u);
  doc.on('update', listener);
  try {
    doc.transact(() => fn(doc));
  } finally {
    doc.off('update', listener);
  }
  if (updates.length !== 1) throw new Error(`expected one update, got ${updates.length}`);
  return updates[0]!;
}

/** Resolves when `socket` is disconnected, with the reason and the session:end it received (the reason the server gave). */
export function whenClosed(socket: Socket): Promise<{ reason: string; error: unknown }> {
  let error: unknown = null;
  // The reason the server gives before it ends access (shared/protocol: session:end).
  socket.on('session:end', (e: unknown) => {
    error = e;
  });
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve({ reason, error })));
}
