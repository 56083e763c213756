import { MemoryDatabase } from '../../server/storage/memory/memoryDatabase';
import { MemoryStore } from '../../server/storage/memory/memoryStore';
import { openAccountStore } from '../../server/auth/openAccountStore';
import { openStore } from '../../server/storage/openStore';
import { ConfigSchema } from '../../server/config';
import { createLogger } from '../../server/logger';
import { describeAccountStoreContract } from '../contracts/accountStore.contract';
import { docName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';

/** The AccountStore contract on memory (the DocumentStore contract runs in documentStore.test.ts), and what only memory has to prove. */
describe('MemoryAccountStore', () => {
  const database = new MemoryDatabase();
  let documents: MemoryStore | null = null;
  afterAll(async () => {
    await documents?.close();
  });
  describeAccountStoreContract('MemoryAccountStore', async () => {
    documents = new MemoryStore(database);
    return openAccountStore(documents);
  });
});

const record = (bytes: number[]) => ({ author: 'a', at: new Date(1_700_000_000_000), update: Uint8Array.from(bytes) });

describe('MemoryStore specifics', () => {
  it('keeps what was committed, whatever the caller later does to the bytes it passed or was given', async () => {
    const store = new MemoryStore();
    const doc = docName(newId(), 'log');
    const written = Uint8Array.from([1, 2, 3]);
    const [told] = await store.append(doc, [{ ...record([]), update: written }]);
    written[0] = 9;
    told!.update[1] = 9;
    told!.at.setTime(0);
    const [read] = await store.readJournal(doc, 0);
    expect([...read!.update]).toEqual([1, 2, 3]);
    expect(read!.at.getTime()).toBe(1_700_000_000_000);
    read!.update[2] = 9;
    expect([...(await store.load(doc)).records[0]!.update]).toEqual([1, 2, 3]);
    await store.close();
  });

  it('shares one journal, its locks and its accounts between the handles on one database; each closes on its own', async () => {
    const database = new MemoryDatabase();
    const a = new MemoryStore(database);
    // Alone on its database, nobody else commits to the journal.
    expect(a.shared).toBe(false);
    const b = new MemoryStore(database);
    expect([a.shared, b.shared]).toEqual([true, true]);
    const doc = docName(newId(), 'decisions');
    await a.append(doc, [record([1])]);
    const [second] = await b.append(doc, [record([2])]);
    expect(second!.seq).toBe(2);
    expect((await a.readJournal(doc, 0)).map((r) => r.hash)).toEqual((await b.readJournal(doc, 0)).map((r) => r.hash));

    const accountsA = await openAccountStore(a);
    const accountsB = await openAccountStore(b);
    await accountsA.setLastVisits([{ incidentId: 'incident', userId: 'user', at: new Date(5) }]);
    expect(await accountsB.getLastVisit('incident', 'user')).toEqual(new Date(5));

    await a.close();
    expect(b.shared).toBe(false);
    await expect(a.headSeq(doc)).rejects.toHaveProperty('name', 'StorageError');
    await expect(accountsA.countUsers()).rejects.toHaveProperty('name', 'StorageError');
    expect(await b.headSeq(doc)).toBe(2);
    expect(await accountsB.getLastVisit('incident', 'user')).toEqual(new Date(5));
    await b.close();
  });

  it('keeps databases apart: a store of its own sees nothing of another', async () => {
    const a = new MemoryStore();
    const b = new MemoryStore();
    const doc = docName(newId(), 'log');
    await a.append(doc, [record([1])]);
    expect(await b.headSeq(doc)).toBe(0);
    await Promise.all([a.close(), b.close()]);
  });

  it('is opened by DATABASE_URL=memory:, on a given database or a new one', async () => {
    const config = ConfigSchema.parse({ databaseUrl: 'memory:', logLevel: 'silent' });
    const logger = createLogger('silent', 'test');
    const database = new MemoryDatabase();
    const onGiven = await openStore(config, logger, { memoryDatabase: database });
    const onOwn = await openStore(config, logger);
    expect([onGiven.kind, onOwn.kind]).toEqual(['memory', 'memory']);
    const doc = docName(newId(), 'log');
    await onGiven.append(doc, [record([1])]);
    const another = new MemoryStore(database);
    expect(await another.headSeq(doc)).toBe(1);
    expect(await onOwn.headSeq(doc)).toBe(0);
    await Promise.all([onGiven.close(), onOwn.close(), another.close()]);
  });
});
