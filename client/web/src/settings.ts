import { useEffect, useState } from 'preact/hooks';
import { Lang, detectLang } from './i18n';

/** What the user chose, kept in this browser (localStorage): their name, language and log order. */
export interface Settings {
  name: string | null;
  lang: Lang;
  newestFirst: boolean;
}

const KEYS = { name: 'crisis.name', lang: 'crisis.lang', newestFirst: 'crisis.newestFirst' } as const;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Private mode or full storage: the choice lasts for this page only.
  }
}

function load(): Settings {
  const name = read(KEYS.name)?.trim() || null;
  return {
    name,
    lang: detectLang(read(KEYS.lang), navigator.languages?.length ? navigator.languages : [navigator.language]),
    newestFirst: read(KEYS.newestFirst) === 'true',
  };
}

let current: Settings = load();
const listeners = new Set<() => void>();

export function getSettings(): Settings {
  return current;
}

export function updateSettings(patch: Partial<Settings>): void {
  current = { ...current, ...patch };
  if ('name' in patch) write(KEYS.name, patch.name ?? null);
  if ('lang' in patch && patch.lang) write(KEYS.lang, patch.lang);
  if ('newestFirst' in patch) write(KEYS.newestFirst, String(Boolean(patch.newestFirst)));
  for (const l of listeners) l();
}

export function useSettings(): Settings {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return current;
}

/** Small JSON values per incident (the edits still waiting), best effort. */
export const localJson = {
  get<T>(key: string, fallback: T): T {
    const raw = read(key);
    if (raw === null) return fallback;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return fallback;
    }
  },
  set(key: string, value: unknown): void {
    write(key, value === null ? null : JSON.stringify(value));
  },
};
