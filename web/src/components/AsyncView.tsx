import type { ReactNode } from 'react';
import type { ApiState } from './useApi';
import { ErrorBox, Loading } from './states';

/** Shows loading, the error (with retry), or the content once the data is in. */
export function AsyncView<T>({ state, children }: { state: ApiState<T>; children: (data: T) => ReactNode }) {
  if (state.data !== undefined) return <>{children(state.data)}</>;
  if (state.error) return <ErrorBox error={state.error} onRetry={state.reload} />;
  return <Loading />;
}
