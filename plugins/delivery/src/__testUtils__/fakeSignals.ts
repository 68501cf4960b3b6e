import { SignalApi } from '@backstage/plugin-signals-react';
import { JsonObject } from '@backstage/types';
import { act } from '@testing-library/react';

/**
 * The signals plugin's client without its WebSocket: what the backend would push on a channel
 * reaches the channel's subscribers when a test calls `push`.
 */
export class FakeSignals implements SignalApi {
  private readonly subscribers = new Map<
    string,
    Set<(message: JsonObject) => void>
  >();

  subscribe<T extends JsonObject = JsonObject>(
    channel: string,
    onMessage: (message: T) => void,
  ): { unsubscribe: () => void } {
    const listeners = this.subscribers.get(channel) ?? new Set();
    this.subscribers.set(channel, listeners);
    const listener = onMessage as (message: JsonObject) => void;
    listeners.add(listener);
    return { unsubscribe: () => listeners.delete(listener) };
  }

  /** Delivers a message to the channel's current subscribers, inside act(). */
  push(channel: string, message: JsonObject): void {
    act(() => {
      for (const listener of this.subscribers.get(channel) ?? []) {
        listener(message);
      }
    });
  }

  subscribed(channel: string): boolean {
    return (this.subscribers.get(channel)?.size ?? 0) > 0;
  }
}
