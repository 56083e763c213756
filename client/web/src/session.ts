import { useEffect, useState } from 'preact/hooks';
import { MeReplySchema } from '../../../shared/auth/schemas';
import type { MeReply } from '../../../shared/auth/schemas';
import { getAuthStatus, getMe, logout } from './authApi';
import { forgetIncidentList } from './api';
import { closeConnection, onConnectionEnded } from './connection';
import { ApiError, OfflineError, onSessionEnded } from './http';
import { localJson } from './settings';

/** Why the login page is shown, for a line above the form. */
export type LoginNotice = 'expired' | 'loggedOut' | 'accountDisabled' | 'offline' | 'serverError' | null;

export type AuthState =
  | { kind: 'loading' }
  /** No account exists yet: the set-up link from the server's log creates the administrator. */
  | { kind: 'setupRequired' }
  | { kind: 'login'; notice: LoginNotice }
  /** Logged in; `offline` when the server was unreachable and this is the last identity seen here. */
  | { kind: 'ready'; me: MeReply; offline: boolean };

/** The last "who am I", so that a reload without the server still opens the local copies. Holds no secret. */
const ME_CACHE = 'crisis.me';

let state: AuthState = { kind: 'loading' };
const listeners = new Set<() => void>();

function set(next: AuthState): void {
  state = next;
  for (const l of listeners) l();
}

export function getAuth(): AuthState {
  return state;
}

export function useAuth(): AuthState {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return state;
}

function cachedMe(): MeReply | null {
  const parsed = MeReplySchema.safeParse(localJson.get<unknown>(ME_CACHE, null));
  return parsed.success ? parsed.data : null;
}

/** On load: is there an account at all, then who am I (401: the login page). */
export async function loadSession(): Promise<void> {
  try {
    if ((await getAuthStatus()).setupRequired) {
      set({ kind: 'setupRequired' });
      return;
    }
    signedIn(await getMe());
  } catch (err) {
    if (err instanceof OfflineError) {
      const me = cachedMe();
      set(me ? { kind: 'ready', me, offline: true } : { kind: 'login', notice: 'offline' });
    } else if (err instanceof ApiError && err.status === 401) {
      forget(null);
      set({ kind: 'login', notice: null });
    } else {
      set({ kind: 'login', notice: 'serverError' });
    }
  }
}

export function signedIn(me: MeReply): void {
  localJson.set(ME_CACHE, me);
  set({ kind: 'ready', me, offline: false });
}

function forget(notice: LoginNotice | null): void {
  closeConnection();
  const me = state.kind === 'ready' ? state.me : cachedMe();
  if (me) forgetIncidentList(me.user.id);
  localJson.set(ME_CACHE, null);
  if (notice !== null) set({ kind: 'login', notice });
}

/** Ends the session on the server (which closes its sockets), then here. */
export async function signOut(): Promise<void> {
  try {
    await logout();
  } catch {
    // Offline: the cookie stays valid on the server until it expires, but this page forgets it.
  }
  forget('loggedOut');
}

/** The server says the session is over (expired, revoked, account disabled): back to the login page, saying why. */
export function sessionEnded(notice: LoginNotice = 'expired'): void {
  if (state.kind === 'login') return;
  forget(notice);
}

onSessionEnded(() => sessionEnded());
onConnectionEnded((e) => {
  // An end for one incident is shown by its page; any other ends the session here.
  if (e.incidentId === undefined) sessionEnded(e.code === 'LOGGED_OUT' ? 'loggedOut' : e.code === 'ACCOUNT_DISABLED' ? 'accountDisabled' : 'expired');
});
