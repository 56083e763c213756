/** Opens `count` connections, at most `concurrency` at a time, and resolves with them in index order. */
export async function openAll<T>(count: number, concurrency: number, open: (i: number) => Promise<T>): Promise<T[]> {
  const opened = new Array<T>(count);
  let next = 0;
  const openOne = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      opened[i] = await open(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, openOne));
  return opened;
}
