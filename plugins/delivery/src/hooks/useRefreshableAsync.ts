import { DependencyList, useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';

/**
 * useAsync with a `retry` that always fetches again, also while a fetch is under way: the newest
 * fetch's answer wins and older answers are dropped. react-use's useAsyncRetry ignores a retry
 * while loading, so an approval made during a poll stayed invisible until the next poll.
 * The previous value stays while a fetch runs.
 */
export function useRefreshableAsync<T>(
  fetch: () => Promise<T>,
  deps: DependencyList,
) {
  const [attempt, setAttempt] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsync(fetch, [...deps, attempt]);
  const retry = useCallback(() => setAttempt(current => current + 1), []);
  return { ...state, retry };
}
