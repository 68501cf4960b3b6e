import { useApi } from '@backstage/core-plugin-api';
import { useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef } from '../../api';

/** How often an open inbox and the sidebar's count ask again (ms). */
export const APPROVALS_POLL_MS = 15_000;

/** Asks again every `ms` while the page is visible, and as soon as it is shown again. */
function usePolling(retry: () => void, ms: number) {
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') retry();
    }, ms);
    const shown = () => {
      if (document.visibilityState === 'visible') retry();
    };
    document.addEventListener('visibilitychange', shown);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', shown);
    };
  }, [retry, ms]);
}

/** One page of the signed-in person's approvals inbox, kept current. */
export function useApprovals(page: { offset: number; limit: number }) {
  const api = useApi(deliveryApiRef);
  const state = useAsyncRetry(
    () => api.getApprovals(page),
    [api, page.offset, page.limit],
  );
  usePolling(state.retry, APPROVALS_POLL_MS);
  return state;
}

/** How many deployments wait for the signed-in person, kept current. */
export function useApprovalsCount() {
  const api = useApi(deliveryApiRef);
  const state = useAsyncRetry(() => api.getApprovalsCount(), [api]);
  usePolling(state.retry, APPROVALS_POLL_MS);
  return state;
}
