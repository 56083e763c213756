import { useCallback, useEffect, useState } from 'preact/hooks';
import type { MemberView } from '../../../shared/auth/schemas';
import type { IncidentRole } from '../../../shared/auth/roles';
import { listMembers } from './authApi';
import { ApiError } from './http';
import { localJson } from './settings';

export interface Members {
  /** null until loaded (or while the server is unreachable). */
  list: MemberView[] | null;
  /** My role: from the list, else the last one seen in this browser, else null. */
  role: IncidentRole | null;
  /** ok: the list is the server's; offline: role from the local cache; notMember: the server refuses me; notFound: no such incident. */
  status: 'loading' | 'ok' | 'offline' | 'notMember' | 'notFound';
  reload(): void;
}

const roleKey = (userId: string, incidentId: string) => `crisis.role.${userId}.${incidentId}`;
/** Roles can change while the room is open (a director demotes someone): look again this often. */
const REFRESH_MS = 60_000;

/**
 * The incident's members and my role in it. The role only shapes the page (an observer gets no
 * write control); the server decides every write by itself.
 */
export function useMembers(incidentId: string, userId: string): Members {
  const key = roleKey(userId, incidentId);
  const initial = (): Omit<Members, 'reload'> & { key: string } => ({ key, list: null, role: localJson.get<IncidentRole | null>(key, null), status: 'loading' });
  const [state, setState] = useState(initial);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    let alive = true;
    listMembers(incidentId).then(
      (list) => {
        if (!alive) return;
        const role = list.find((m) => m.userId === userId)?.role ?? null;
        localJson.set(key, role);
        setState({ key, list, role, status: role === null ? 'notMember' : 'ok' });
      },
      (err: unknown) => {
        if (!alive) return;
        if (err instanceof ApiError && (err.code === 'FORBIDDEN' || err.code === 'NOT_FOUND')) {
          localJson.set(key, null);
          setState({ key, list: null, role: null, status: err.code === 'FORBIDDEN' ? 'notMember' : 'notFound' });
        } else {
          // Unreachable (or a passing server error): keep what is known, the role from this browser's last visit.
          setState((s) => (s.key === key ? { ...s, status: s.list ? 'ok' : 'offline' } : { ...initial(), status: 'offline' }));
        }
      },
    );
    const timer = setTimeout(reload, REFRESH_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
    // `initial` only reads the key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick, reload]);

  // Another incident than the one loaded: nothing known yet but the cached role.
  const { key: loadedKey, ...current } = state.key === key ? state : initial();
  void loadedKey;
  return { ...current, reload };
}
