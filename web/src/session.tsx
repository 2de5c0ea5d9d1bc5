/**
 * Who is using the app: the signed-in user (GET /auth/me), or — on a server filled with demo data — a
 * demo visitor who may read but not change anything, or nobody. `can(action, orgUnit?)` mirrors the
 * server's permission table for showing buttons; the server still decides.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthorized, setCsrfToken } from './api';
import { PERMISSIONS, type Action, type Role } from '../../src/domain/access.js';

export interface Grant {
  role: Role;
  unit: string;
  unitPath: string;
}
export interface User {
  id: number;
  username: string;
  displayName: string;
  demo: boolean;
  grants: Grant[];
}
interface MeResponse {
  user: User;
  csrfToken: string | null;
}
export interface VisitorInfo {
  /** Anonymous visitors may read as a demo visitor (the server holds demo data). */
  enabled: boolean;
  rootOrgUnit: string | null;
  actions: string[];
}

export interface Session {
  user: User | null;
  /** Not signed in, reading as the demo visitor. */
  demo: boolean;
  /** The first answer is in. */
  ready: boolean;
  can(action: Action, orgUnit?: string): boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [visitor, setVisitor] = useState<VisitorInfo | null>(null);
  const [ready, setReady] = useState(false);

  const refresh = useCallback(async () => {
    // Both at once: an anonymous visitor needs the second answer, and waiting for the first costs a round trip.
    const visitorInfo = api.get<VisitorInfo>('/demo-visitor').catch(() => null);
    try {
      const me = await api.get<MeResponse>('/auth/me');
      setCsrfToken(me.csrfToken);
      setUser(me.user);
      setVisitor(null);
    } catch (e) {
      if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 403)) console.warn(e);
      setUser(null);
      setCsrfToken(null);
      setVisitor(await visitorInfo);
    } finally {
      setReady(true);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => onUnauthorized(() => setUser((u) => (u ? null : u))), []);

  const signIn = useCallback(async (username: string, password: string) => {
    const r = await api.send<MeResponse>('POST', '/auth/login', { username, password });
    setCsrfToken(r.csrfToken);
    setUser(r.user);
    setVisitor(null);
  }, []);
  const signOut = useCallback(async () => {
    await api.send('POST', '/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    setUser(null);
    await refresh();
  }, [refresh]);

  const value = useMemo<Session>(() => {
    const demo = !user && !!visitor?.enabled;
    return {
      user,
      demo,
      ready,
      can(action, orgUnit) {
        if (user) {
          return user.grants.some(
            (g) =>
              (PERMISSIONS[g.role] as readonly string[]).includes(action) &&
              (orgUnit === undefined || orgUnit.startsWith(g.unit) || g.unitPath.includes(`/${g.unit}/`)),
          );
        }
        return demo && !!visitor?.actions.includes(action);
      },
      signIn,
      signOut,
      refresh,
    };
  }, [user, visitor, ready, signIn, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
