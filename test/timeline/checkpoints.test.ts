import fs from 'node:fs';
import path from 'node:path';
import { createPublicKey, verify } from 'node:crypto';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { loadOrCreateCheckpointKey } from '../../server/evidence/checkpointKey';
import { checkpointText } from '../../server/evidence/checkpoints';
import { CheckpointFileSchema, checkpointFileText, parseCheckpointFile } from '../../server/evidence/checkpointFile';
import { createIncident, onTeardown, startTestServer, tempDir } from '../helpers/testServer';
import { adminToken, api } from '../helpers/accounts';
import { until } from '../helpers/poll';
import { cli } from './helpers/cli';

function serverIn(dataDir: string, extra: Record<string, unknown> = {}) {
  return startTestServer({ dataDir, ...extra });
}

/** A log entry written by the administrator (director of the helper incidents). */
async function appendEntry(url: string, id: string, text: string): Promise<void> {
  const reply = await api(url, `/api/incidents/${id}/log`, { token: await adminToken(url), body: { text } });
  expect(reply.status).toBe(201);
}

async function incidentWithEntries(url: string, n: number): Promise<string> {
  const id = await createIncident(url, 'Signé');
  for (let i = 0; i < n; i++) await appendEntry(url, id, `n°${i}`);
  return id;
}

/** An authenticated GET or POST as the administrator. */
async function asAdmin(url: string, path: string, method = 'GET'): Promise<Response> {
  return fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${await adminToken(url)}` } });
}

test('the key is made at first start, private (0600), and the same after a restart', async () => {
  const dataDir = tempDir();
  const first = await serverIn(dataDir);
  const file = path.join(dataDir, 'checkpoint-key.pem');
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  const keyId = first.checkpoints.key.keyId;
  const pem = await (await asAdmin(first.url, '/api/evidence/public-key')).text();
  expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  await first.close();
  const second = await serverIn(dataDir);
  expect(second.checkpoints.key.keyId).toBe(keyId);
  expect((await asAdmin(second.url, '/api/evidence/public-key')).headers.get('x-key-id')).toBe(keyId);
});

test('a key readable by others is tightened, with a warning; a configured path is used', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'keys', 'signing.pem');
  const warnings: string[] = [];
  loadOrCreateCheckpointKey(file);
  fs.chmodSync(file, 0o644);
  const key = loadOrCreateCheckpointKey(file, (m) => warnings.push(m));
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(warnings).toEqual([expect.stringMatching(/readable by others/)]);
  const server = await serverIn(tempDir(), { checkpointKeyFile: file });
  expect(server.checkpoints.key.keyId).toBe(key.keyId);
});

test('the server signs checkpoints periodically, of the documents that grew, and they verify with the public key', async () => {
  const dataDir = tempDir();
  const server = await serverIn(dataDir, { checkpointIntervalSeconds: 0.05 });
  const id = await incidentWithEntries(server.url, 3);
  const logDoc = `${id}:log` as const;
  // Checkpoint signing runs on a timer and announces nothing: poll the store.
  await until(async () => (await server.store.listCheckpoints(logDoc)).some((c) => c.seq === 3), 'a checkpoint of the log at #3');
  const [cp] = (await server.store.listCheckpoints(logDoc)).filter((c) => c.seq === 3);
  const head = await server.store.journalHead(logDoc);
  expect(cp).toMatchObject({ doc: logDoc, seq: 3, head: head.hash, keyId: server.checkpoints.key.keyId });
  // Anyone can check it with the exported public key and the documented text.
  const pem = await (await asAdmin(server.url, '/api/evidence/public-key')).text();
  expect(verify(null, Buffer.from(checkpointText(cp!)), createPublicKey(pem), Buffer.from(cp!.signature, 'base64'))).toBe(true);
  // Nothing new: nothing to sign.
  const count = (await server.store.listCheckpoints(logDoc)).length;
  expect(await server.checkpoints.signNow()).toEqual([]);
  expect((await server.store.listCheckpoints(logDoc)).length).toBe(count);
  await appendEntry(server.url, id, 'encore');
  await until(async () => (await server.store.listCheckpoints(logDoc)).some((c) => c.seq === 4), 'a checkpoint of the log at #4');
});

test('checkpoints export as JSON and as printable text that parse back to the same content', async () => {
  const dataDir = tempDir();
  const server = await serverIn(dataDir, { checkpointIntervalSeconds: 0 });
  const id = await incidentWithEntries(server.url, 2);
  const signed = await asAdmin(server.url, `/api/incidents/${id}/checkpoints`, 'POST');
  expect(signed.status).toBe(201);
  expect(CheckpointFileSchema.parse(await signed.json()).checkpoints.map((c) => c.doc).sort()).toEqual([`${id}:log`, `${id}:meta`]);
  const json = CheckpointFileSchema.parse(await (await asAdmin(server.url, `/api/incidents/${id}/checkpoints`)).json());
  const text = await (await asAdmin(server.url, `/api/incidents/${id}/checkpoints?format=txt`)).text();
  expect(text).toContain(`public-key ${server.checkpoints.key.keyId}:`);
  expect(parseCheckpointFile(text).checkpoints).toEqual(json.checkpoints);
  // A retyped copy: extra spaces and line breaks inside the hex and the signature are ignored.
  const retyped = checkpointFileText(json).replace(/(head: [0-9a-f]{32})/g, '$1 ').replace(/(signature: \S+)/g, '$1\n ');
  expect(parseCheckpointFile(retyped).checkpoints).toEqual(json.checkpoints);
  expect(() => parseCheckpointFile('{"format":"x"}')).toThrow(/checkpoint file/);

  // The CLI exports the same (the server still runs: SQLite readers do not block it).
  const viaCli = await cli(['checkpoint', 'export', id], { DATA_DIR: dataDir });
  expect(viaCli.code).toBe(0);
  expect(CheckpointFileSchema.parse(JSON.parse(viaCli.stdout)).checkpoints).toEqual(json.checkpoints);
  const pub = await cli(['public-key'], { DATA_DIR: dataDir });
  expect(pub.stdout).toBe(server.checkpoints.key.publicPem);
  expect(pub.stderr).toContain(server.checkpoints.key.keyId);
});

test('a final checkpoint is signed at shutdown; the CLI can sign on demand', async () => {
  const dataDir = tempDir();
  const server = await serverIn(dataDir, { checkpointIntervalSeconds: 0 });
  const id = await incidentWithEntries(server.url, 2);
  await server.close();
  const store = new SqliteStore(path.join(dataDir, 'crisis-cell.db'));
  onTeardown(() => store.close());
  expect((await store.listCheckpoints(`${id}:log`)).map((c) => c.seq)).toEqual([2]);
  const again = await cli(['checkpoint', 'sign', id], { DATA_DIR: dataDir });
  expect(again.stdout).toMatch(/nothing new to sign/);
  await store.append(`${id}:log`, [{ author: 'x', at: new Date(), update: new Uint8Array([0]) }]);
  const signed = await cli(['checkpoint', 'sign', id], { DATA_DIR: dataDir });
  expect(signed.code).toBe(0);
  expect(signed.stdout).toMatch(new RegExp(`signed ${id}:log#3 [0-9a-f]{64}`));
});
