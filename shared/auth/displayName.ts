/**
 * The key under which display names are unique in a deployment: two names that read the same
 * to a person ("Dr Martin", "dr  martin", "Dr Martín") have one key. Compatibility decomposition
 * (NFKD, so "ﬁ" is "fi" and full-width letters are letters), combining marks dropped (accents),
 * case folded (upper then lower, so "ß" and "SS" meet), spaces collapsed. The account stores
 * keep it in a column with a unique index: the rule holds atomically, across nodes.
 */
export function displayNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}
