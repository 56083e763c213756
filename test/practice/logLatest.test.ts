import { LogLatestSchema, type LogLatest } from '../../shared/protocol/logPage';
import { api } from '../helpers/accounts';
import { clientAs, securitySetup } from '../security/securityHelpers';

async function latest(url: string, id: string, token: string, query = ''): Promise<LogLatest> {
  const reply = await api(url, `/api/incidents/${id}/log/latest${query}`, { token });
  expect(reply.status).toBe(200);
  return LogLatestSchema.parse(reply.body);
}

describe('the newest entries over REST (a first screen before the log document arrives)', () => {
  test('lists the newest entries with the whole count, what their rows show and their verifications; refuses bad limits and outsiders', async () => {
    const ctx = await securitySetup();
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await alice.whenSynced();
    const first = alice.appendLog({ text: 'Messagerie coupée' });
    for (let i = 0; i < 8; i++) alice.appendLog({ text: `Relevé ${i}` });
    const question = alice.appendLog({ text: 'Qui appelle l’ANSSI ?' });
    const answer = alice.appendLog({ text: 'Le RSSI', replyTo: first.id });
    const correction = alice.amend(question.id, { text: 'Qui appelle l’ANSSI et le CERT Santé ?' });
    alice.setVerification(answer.id, 'confirmed', 'vu avec la DSI');
    await alice.whenAcknowledged();

    const page = await latest(ctx.url, ctx.id, ctx.bob.token, '?limit=3');
    expect(page.total).toBe(12);
    expect(page.entries.map((e) => e.id)).toEqual([question.id, answer.id, correction.id]);
    // The answered entry is outside the page: it comes as related, with nothing else.
    expect(page.related.map((e) => e.id)).toEqual([first.id]);
    expect(page.verifications[answer.id]).toMatchObject({ state: 'confirmed', history: [{ state: 'confirmed', by: 'Alice', note: 'vu avec la DSI' }] });
    expect(page.verifications[question.id]).toEqual({ state: 'to_check', history: [] });

    // The corrected entry's correction is in the page; the page of one lists the correction's original as related.
    expect((await latest(ctx.url, ctx.id, ctx.bob.token, '?limit=1')).related.map((e) => e.id)).toEqual([question.id]);
    // Observers read it too; the default page holds the whole of a short log.
    const observed = await latest(ctx.url, ctx.id, ctx.olga.token);
    expect(observed.entries).toHaveLength(12);
    expect(observed.entries[0]!.id).toBe(first.id);

    for (const bad of ['?limit=0', '?limit=201', '?limit=abc', '?limit=5&since=x']) {
      const reply = await api<{ error: { code: string } }>(ctx.url, `/api/incidents/${ctx.id}/log/latest${bad}`, { token: ctx.bob.token });
      expect([bad, reply.status, reply.body.error.code]).toEqual([bad, 400, 'BAD_REQUEST']);
    }
    const outsider = await api<{ error: { code: string } }>(ctx.url, `/api/incidents/${ctx.id}/log/latest`, { token: ctx.nina.token });
    expect([outsider.status, outsider.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const unknown = await api<{ error: { code: string } }>(ctx.url, `/api/incidents/zzzzzzzzzzzzzzzz/log/latest`, { token: ctx.bob.token });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const anonymous = await api<{ error: { code: string } }>(ctx.url, `/api/incidents/${ctx.id}/log/latest`);
    expect(anonymous.status).toBe(401);
  });
});
