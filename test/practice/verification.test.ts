import { EVENTS } from '../../shared/protocol/messages';
import { VERIFICATIONS_ROOT, encodeVerificationRecord } from '../../shared/model/verification';
import { LogDoc } from '../../shared/docs/logDoc';
import { TimelineExportSchema } from '../../shared/timeline/exportDocument';
import type { TimelineEvent } from '../../shared/timeline/events';
import { emitAck, joinRaw } from '../helpers/rawSocket';
import { tempDir, waitFor } from '../helpers/testServer';
import { cli } from '../timeline/helpers/cli';
import { api } from '../helpers/accounts';
import { clientAs, documents, securitySetup, socketAs, transactionUpdate } from '../security/securityHelpers';

async function timeline(url: string, id: string, token: string, query = ''): Promise<TimelineEvent[]> {
  const reply = await api(url, `/api/incidents/${id}/timeline?format=json${query}`, { token });
  expect(reply.status).toBe(200);
  return TimelineExportSchema.parse(reply.body).events;
}

describe('verification workflow', () => {
  test('state changes are append-only records: current state, history on every screen, events in the timeline', async () => {
    const dataDir = tempDir();
    const ctx = await securitySetup({ dataDir });
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    const bob = await clientAs(ctx.url, ctx.bob).openIncident(ctx.id);
    await Promise.all([alice.whenSynced(), bob.whenSynced()]);
    const entry = alice.appendLog({ text: 'Rançongiciel signalé sur le PACS', category: 'alert', key: true });
    const plain = alice.appendLog({ text: 'Café servi' });
    alice.createTask({ title: 'Prévenir l’ARS' });
    await alice.whenAcknowledged();
    await waitFor(() => bob.log.find(entry.id) !== undefined, (n) => bob.log.onChange(n), 'bob sees the entry');

    bob.setVerification(entry.id, 'being_checked');
    await bob.whenAcknowledged();
    // Alice confirms what she sees being checked: her change follows Bob's (unseen, the two
    // would be concurrent, ordered by each one's estimate of the server clock).
    await waitFor(() => alice.log.verificationHistory(entry.id).length === 1, (n) => alice.log.onChange(n), 'alice sees Bob\'s change');
    alice.setVerification(entry.id, 'confirmed', '  Confirmé par le RSSI ');
    await alice.whenAcknowledged();
    await waitFor(() => bob.log.verificationHistory(entry.id).length === 2, (n) => bob.log.onChange(n), 'bob sees both changes');

    const seen = bob.log.find(entry.id)!;
    expect(seen.verification).toBe('to_check'); // the entry itself never changes
    expect(bob.log.currentVerification(seen)).toBe('confirmed');
    expect(bob.log.verificationHistory(entry.id).map((r) => [r.state, r.by, r.note])).toEqual([
      ['being_checked', 'Bob', undefined],
      ['confirmed', 'Alice', 'Confirmé par le RSSI'],
    ]);
    expect(bob.log.currentVerification(bob.log.find(plain.id)!)).toBe('to_check');

    const events = await timeline(ctx.url, ctx.id, ctx.alice.token);
    const changes = events.filter((e): e is Extract<TimelineEvent, { kind: 'log.verification' }> => e.kind === 'log.verification');
    expect(changes.map((e) => [e.author, e.data.entryId, e.data.from, e.data.state, e.data.by, e.data.note, e.data.key])).toEqual([
      ['Bob', entry.id, 'to_check', 'being_checked', 'Bob', null, true],
      ['Alice', entry.id, 'being_checked', 'confirmed', 'Alice', 'Confirmé par le RSSI', true],
    ]);
    expect(changes[0]!.data.text).toBe(entry.text);

    // The short version: key entries and what happened to them, nothing else.
    const short = await timeline(ctx.url, ctx.id, ctx.alice.token, '&keyOnly=true');
    expect(short.map((e) => e.kind)).toEqual(['log.entry', 'log.verification', 'log.verification']);
    const md = await fetch(`${ctx.url}/api/incidents/${ctx.id}/timeline?format=md&keyOnly=true`, { headers: { authorization: `Bearer ${ctx.alice.token}` } });
    const text = await md.text();
    expect(text).toContain('faits marquants seulement');
    expect(text).toContain('Confirmée (était En vérification)');
    expect(text).not.toContain('Café servi');

    // The same short version from the command line, on the server's data.
    await ctx.server.close();
    const run = await cli(['export', ctx.id, '--format', 'json', '--key-only'], { DATA_DIR: dataDir });
    expect(run.code).toBe(0);
    expect(TimelineExportSchema.parse(JSON.parse(run.stdout)).events.map((e) => e.kind)).toEqual(['log.entry', 'log.verification', 'log.verification']);
  });

  test('a verification record under another name, malformed, or deleted is refused with a code and changes nothing', async () => {
    const ctx = await securitySetup();
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await alice.whenSynced();
    const entry = alice.appendLog({ text: 'Serveur de messagerie chiffré' });
    alice.setVerification(entry.id, 'being_checked');
    await alice.whenAcknowledged();

    const raw = await socketAs(ctx.url, ctx.bob);
    const joined = await joinRaw(raw, ctx.names.log);
    const before = await documents(ctx);
    const send = (update: Uint8Array) => emitAck(raw, EVENTS.update, { doc: ctx.names.log, update });
    const record = (by: string) => encodeVerificationRecord({ entryId: entry.id, state: 'refuted', by, at: new Date().toISOString() });

    const forged = transactionUpdate(joined.doc, (d) => d.getArray(VERIFICATIONS_ROOT).push([record('Alice')]));
    expect(await send(forged)).toMatchObject({ ok: false, error: { code: 'UPDATE_FORBIDDEN_AUTHOR' } });
    expect(await documents(ctx)).toEqual(before);

    const fresh = await joinRaw(raw, ctx.names.log);
    const malformed = transactionUpdate(fresh.doc, (d) => d.getArray(VERIFICATIONS_ROOT).push([JSON.stringify({ entryId: entry.id, state: 'probably', by: 'Bob', at: new Date().toISOString() })]));
    expect(await send(malformed)).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
    expect(await documents(ctx)).toEqual(before);

    const again = await joinRaw(raw, ctx.names.log);
    const removal = transactionUpdate(again.doc, (d) => d.getArray(VERIFICATIONS_ROOT).delete(0, 1));
    expect(await send(removal)).toMatchObject({ ok: false, error: { code: 'UPDATE_FORBIDDEN_DELETE' } });
    expect(await documents(ctx)).toEqual(before);

    // Under his own name, Bob's record is accepted: the refusals above were about the name.
    // Dated as the SDK does, after the record it follows (Alice's clock may run ahead of this one).
    const own = await joinRaw(raw, ctx.names.log);
    const confirmed = encodeVerificationRecord({ entryId: entry.id, state: 'confirmed', by: 'Bob', at: new LogDoc(own.doc).nextVerificationAt(entry.id, new Date()) });
    expect(await send(transactionUpdate(own.doc, (d) => d.getArray(VERIFICATIONS_ROOT).push([confirmed])))).toMatchObject({ ok: true });
    await waitFor(() => alice.log.currentVerification(alice.log.find(entry.id)!) === 'confirmed', (n) => alice.log.onChange(n), 'alice sees Bob\'s record');
  });
  test('a change made after seeing another follows it, even from a writer whose clock estimate lags', async () => {
    const ctx = await securitySetup();
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    const bob = await clientAs(ctx.url, ctx.bob).openIncident(ctx.id);
    await Promise.all([alice.whenSynced(), bob.whenSynced()]);
    const entry = alice.appendLog({ text: 'Imprimantes hors service', category: 'alert' });
    await alice.whenAcknowledged();
    await waitFor(() => bob.log.find(entry.id) !== undefined, (n) => bob.log.onChange(n), 'bob sees the entry');
    const checking = bob.setVerification(entry.id, 'being_checked');
    await bob.whenAcknowledged();
    await waitFor(() => alice.log.verificationHistory(entry.id).length === 1, (n) => alice.log.onChange(n), 'alice sees Bob\'s change');
    // Each client's server time is an estimate from its join's round trip; make Alice's a minute behind Bob's.
    alice.syncs.log.clockOffsetMs = bob.syncs.log.clockOffsetMs - 60_000;
    const refuted = alice.setVerification(entry.id, 'refuted', 'fausse alerte');
    expect(refuted.at > checking.at).toBe(true);
    await alice.whenAcknowledged();
    await waitFor(() => bob.log.verificationHistory(entry.id).length === 2, (n) => bob.log.onChange(n), 'bob sees both changes');
    for (const log of [alice.log, bob.log]) {
      expect(log.verificationHistory(entry.id).map((r) => r.by)).toEqual(['Bob', 'Alice']);
      expect(log.currentVerification(log.find(entry.id)!)).toBe('refuted');
    }
  });
});
