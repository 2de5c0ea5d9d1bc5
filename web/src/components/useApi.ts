/** Loads something from the API and keeps its state: loading, data, error, reload. */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** `load` runs on mount and whenever `deps` change; `refreshMs` reloads it periodically (big screen). */
export function useApi<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  options: { refreshMs?: number } = {},
): ApiState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  useEffect(() => {
    if (!options.refreshMs) return;
    const id = window.setInterval(() => setTick((n) => n + 1), options.refreshMs);
    return () => window.clearInterval(id);
  }, [options.refreshMs]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
