import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  DeliveryChange,
  DeliverySignal,
  deliveryChannel,
} from '@internal/plugin-delivery-common';
import { useEffect, useMemo, useRef, useState } from 'react';
import { deliveryApiRef } from '../api';
import { useEntityRouteParams } from './useEntityRouteParams';

/**
 * - `connecting`: signals are installed; the page is checking that they reach it.
 * - `live`: they do: a change shows as soon as the backend learns of it.
 * - `polling`: they do not (no signals plugin, or its connection is refused): the page polls.
 */
export type LiveStatus = 'connecting' | 'live' | 'polling';

/** A probe is re-sent this often until its signal arrives: the first may beat the subscription. */
export const PROBE_INTERVAL_MS = 1500;
/** After this many unanswered probes the page falls back to polling. */
export const PROBE_ATTEMPTS = 4;

/** While live, idle views still refresh this often: a webhook delivery can be lost. */
export const SAFETY_NET_POLL_MS = 60_000;

function newNonce(): string {
  return `${Date.now().toString(36)}-${Math.random()
    .toString(36)
    .slice(2, 10)}`;
}

/**
 * Live updates of the current entity's delivery data. `version` grows each time the backend
 * signals a change to one of `changes`: add it to a fetch's dependencies and the view refreshes
 * without a reload. `status` says whether signals reach this page; views poll when they do not.
 */
export function useDeliveryLive(changes: readonly DeliveryChange[]): {
  version: number;
  status: LiveStatus;
} {
  const api = useApi(deliveryApiRef);
  const { params, key } = useEntityRouteParams();
  const { lastSignal, isSignalsAvailable } = useSignal<DeliverySignal>(
    deliveryChannel(key),
  );
  const nonce = useMemo(newNonce, [key]);
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<LiveStatus>(
    isSignalsAvailable ? 'connecting' : 'polling',
  );
  const answered = useRef(false);
  const watched = changes.join(' ');

  useEffect(() => {
    if (!lastSignal) return;
    if (lastSignal.type === 'probe') {
      if (lastSignal.nonce === nonce) {
        answered.current = true;
        setStatus('live');
      }
      return;
    }
    const wanted = watched.split(' ');
    if (lastSignal.changes.some(change => wanted.includes(change))) {
      setVersion(current => current + 1);
    }
  }, [lastSignal, nonce, watched]);

  useEffect(() => {
    answered.current = false;
    if (!isSignalsAvailable) {
      setStatus('polling');
      return undefined;
    }
    setStatus('connecting');
    let sent = 0;
    /** Sends one more probe; false once answered or given up. */
    const probe = (): boolean => {
      if (answered.current) return false;
      if (sent >= PROBE_ATTEMPTS) {
        setStatus('polling');
        return false;
      }
      sent += 1;
      // An unanswered probe and a refused one end the same way: polling.
      Promise.resolve()
        .then(() => api.probeLive(params, nonce))
        .catch(() => undefined);
      return true;
    };
    probe();
    const timer = setInterval(() => {
      if (!probe()) clearInterval(timer);
    }, PROBE_INTERVAL_MS);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, nonce, isSignalsAvailable]);

  return { version, status };
}
