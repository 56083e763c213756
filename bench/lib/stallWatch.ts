const TICK_MS = 5;

/**
 * The longest stall of this process's event loop from now until `stop`: the longest gap between
 * ticks of a 5 ms timer, less the interval. What every socket of a node in this process waited.
 */
export function watchStalls(): { stop: () => number } {
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - TICK_MS);
    last = now;
  }, TICK_MS);
  return {
    stop: () => {
      clearInterval(tick);
      return Math.round(Math.max(longest, performance.now() - last - TICK_MS));
    },
  };
}
