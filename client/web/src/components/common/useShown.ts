import { useEffect } from 'preact/hooks';

/** Calls `onShown` once `shown` holds and the frame showing it has been painted. */
export function useShown(shown: boolean, onShown: (() => void) | undefined): void {
  useEffect(() => {
    if (!shown || !onShown) return undefined;
    const frame = requestAnimationFrame(() => onShown());
    return () => cancelAnimationFrame(frame);
  }, [shown, onShown]);
}
