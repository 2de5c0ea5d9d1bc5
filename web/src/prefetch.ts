/**
 * Requests the first page needs, started before its code has loaded: the overview's data is on its
 * way while React, the page chunk and ECharts are still being fetched and parsed. Each is used once.
 */
import { api } from './api';

const pending = new Map<string, Promise<unknown>>();

/** Starts GET `path` now (errors are kept for whoever takes it). */
export function prefetch(path: string): void {
  if (pending.has(path)) return;
  const p = api.get(path);
  p.catch(() => undefined); // taken later, or never: not an unhandled rejection
  pending.set(path, p);
}

/** The prefetched answer for `path` if there is one (once), else a fresh request. */
export function takePrefetched<T>(path: string): Promise<T> {
  const p = pending.get(path);
  if (!p) return api.get<T>(path);
  pending.delete(path);
  return p as Promise<T>;
}
