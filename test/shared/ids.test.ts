import { ID_PATTERN, newId } from '../../shared/model/ids';

// Ids are drawn from a pool of random bytes refilled 4 KB at a time (256 ids): across refills
// they stay 16 base32 characters and distinct, and every character of the alphabet turns up.

test('ids across several refills of the pool are well formed and never repeat', () => {
  const ids = Array.from({ length: 2_000 }, () => newId());
  for (const id of ids) {
    expect(id).toHaveLength(16);
    expect(id).toMatch(ID_PATTERN);
  }
  expect(new Set(ids).size).toBe(ids.length);
  const characters = new Set(ids.join(''));
  expect(characters.size).toBe(32);
});

test('a refill draws new bytes: the ids after it share no run of the ones before', () => {
  const before = Array.from({ length: 256 }, () => newId()).join('');
  const after = Array.from({ length: 256 }, () => newId()).join('');
  expect(after).not.toBe(before);
  // A pool handed out twice would repeat whole ids.
  const seen = new Set(before.match(/.{16}/g));
  expect(after.match(/.{16}/g)!.some((id) => seen.has(id))).toBe(false);
});
