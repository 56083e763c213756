import { MemoryStore } from '../../server/storage/memory/memoryStore';
import { openAccountStore } from '../../server/auth/openAccountStore';
import { createLogger } from '../../server/logger';
import { LastVisits } from '../../server/handover/lastVisits';
import { docName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';

/** Departures gathered per turn of the event loop (server/handover/lastVisits.ts), on the memory store. */
describe('LastVisits', () => {
  async function setup() {
    const documents = new MemoryStore();
    const accounts = await openAccountStore(documents);
    const writes = jest.spyOn(accounts, 'setLastVisits');
    const visits = new LastVisits(accounts, createLogger('silent', 'test'));
    return { documents, visits, writes };
  }

  it('writes the departures of one turn in one call, the latest per incident and user, and only metadata documents count', async () => {
    const { documents, visits, writes } = await setup();
    const [a, b] = [newId(), newId()];
    const users = Array.from({ length: 50 }, () => newId());
    for (const u of users) visits.leftDocument(docName(a, 'meta'), u);
    visits.leftDocument(docName(b, 'meta'), users[0]!);
    visits.leftDocument(docName(b, 'log'), users[1]!);
    visits.leftDocument(docName(b, 'meta'), users[0]!);
    expect(writes).not.toHaveBeenCalled();
    await visits.flush();
    expect(writes).toHaveBeenCalledTimes(1);
    expect(writes.mock.calls[0]![0]).toHaveLength(51);
    for (const u of users) expect(await visits.get(a, u)).toBeInstanceOf(Date);
    expect(await visits.get(b, users[0]!)).toBeInstanceOf(Date);
    expect(await visits.get(b, users[1]!)).toBeNull();
    await documents.close();
  });

  it('writes on its own at the end of the turn, and an explicit visit supersedes a departure of the same turn', async () => {
    const { documents, visits, writes } = await setup();
    const [incident, user, other] = [newId(), newId(), newId()];
    visits.leftDocument(docName(incident, 'meta'), user);
    visits.leftDocument(docName(incident, 'meta'), other);
    const explicit = new Date(Date.now() - 3_600_000);
    await visits.record(incident, user, explicit);
    await new Promise<void>((resolve) => setImmediate(resolve));
    await visits.flush();
    expect(writes).toHaveBeenCalledTimes(2);
    expect(await visits.get(incident, user)).toEqual(explicit);
    expect(await visits.get(incident, other)).toBeInstanceOf(Date);
    await documents.close();
  });
});
