/*
 * Freshness as a page sees it: for each change the scale benchmark makes, a page of the changed
 * service open on its Pipeline tab. Like useDeliveryLive, the page refetches when a signal on its
 * entity's channel names `pipeline`, and otherwise polls every SAFETY_NET_POLL_MS from a random
 * phase (it was opened at some earlier moment). A change's freshness is the time from the sandbox
 * accepting it to the first answer of the delivery API that shows it.
 */
import { PipelineRun, deliveryChannel } from '@internal/plugin-delivery-common';
import { HeardSignal } from '../src/__testUtils__/productionReplica';

/** One change made in the sandbox, and how to recognise it on the page. */
export interface WatchedChange {
  /** The component's name (namespace default). */
  component: string;
  runId: number;
  /** Whether the page's run shows the change. */
  shows(run: PipelineRun): boolean;
  /** When the sandbox answered the change's request, epoch ms. */
  acceptedAt: number;
}

interface Watcher {
  change: WatchedChange;
  channel: string;
  nextPollAt: number;
  fetching: boolean;
  /** A signal arrived while a fetch was under way: fetch again after it. */
  signalled: boolean;
  seenAt?: number;
}

export interface FreshnessResult {
  /** ms from change to page, for changes the page showed. */
  seen: number[];
  /** Changes the page had not shown when the phase ended (censored). */
  unseen: number;
}

export class FreshnessWatchers {
  private readonly watchers: Watcher[] = [];
  private signalIndex: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly options: {
      /** The runs the Pipeline tab of a component shows (GET runs). */
      fetchRuns(component: string): Promise<PipelineRun[]>;
      /** The signals this replica heard (DeliveryBackend.signals). */
      signals: HeardSignal[];
      pollMs: number;
      random(): number;
    },
  ) {
    this.signalIndex = options.signals.length;
    this.timer = setInterval(() => this.tick(), 25);
  }

  watch(change: WatchedChange): void {
    this.watchers.push({
      change,
      channel: deliveryChannel(`component:default/${change.component}`),
      nextPollAt:
        change.acceptedAt + this.options.random() * this.options.pollMs,
      fetching: false,
      signalled: false,
    });
  }

  /** How many changes no page has shown yet. */
  get waiting(): number {
    return this.watchers.filter(w => w.seenAt === undefined).length;
  }

  stop(): FreshnessResult {
    clearInterval(this.timer);
    const seen = this.watchers
      .filter(w => w.seenAt !== undefined)
      .map(w => w.seenAt! - w.change.acceptedAt);
    return { seen, unseen: this.watchers.length - seen.length };
  }

  private tick(): void {
    const { signals } = this.options;
    for (; this.signalIndex < signals.length; this.signalIndex++) {
      const { channel, message } = signals[this.signalIndex];
      if (message.type !== 'changed' || !message.changes.includes('pipeline'))
        continue;
      for (const watcher of this.watchers) {
        if (watcher.channel === channel && watcher.seenAt === undefined)
          watcher.signalled = true;
      }
    }
    const now = Date.now();
    for (const watcher of this.watchers) {
      if (watcher.seenAt !== undefined || watcher.fetching) continue;
      if (watcher.signalled || now >= watcher.nextPollAt)
        void this.fetch(watcher);
    }
  }

  private async fetch(watcher: Watcher): Promise<void> {
    watcher.fetching = true;
    watcher.signalled = false;
    try {
      const runs = await this.options.fetchRuns(watcher.change.component);
      const run = runs.find(r => r.id === watcher.change.runId);
      if (run && watcher.change.shows(run)) watcher.seenAt = Date.now();
    } catch {
      // A failed load is retried at the next poll or signal, as the page would.
    } finally {
      watcher.fetching = false;
      watcher.nextPollAt = Date.now() + this.options.pollMs;
    }
  }
}
