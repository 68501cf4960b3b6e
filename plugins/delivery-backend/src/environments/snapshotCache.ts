interface Snapshot<T> {
  /** The read in flight or done. */
  value: Promise<T>;
  at: number;
  /** The last successful read, served while a newer one is in flight. */
  settled?: { value: T; at: number };
}

/**
 * Shares one read among concurrent viewers for `freshMs`; after that, up to 5 × `freshMs`, viewers
 * get the last read at once while one refresh runs (stale while revalidate), so once warm no page
 * view waits on the cluster or GitHub. Failed reads are not kept.
 */
export class SnapshotCache<T> {
  private readonly snapshots = new Map<string, Snapshot<T>>();

  constructor(
    private readonly freshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  invalidate(key: string): void {
    this.snapshots.delete(key);
  }

  invalidatePrefix(prefix: string): void {
    for (const key of [...this.snapshots.keys()]) {
      if (key.startsWith(prefix)) this.snapshots.delete(key);
    }
  }

  get(key: string, read: () => Promise<T>): Promise<T> {
    const now = this.now();
    const snapshot = this.snapshots.get(key);
    if (snapshot && now - snapshot.at < this.freshMs) {
      return snapshot.value;
    }
    const settled = snapshot?.settled;
    const value = read();
    const next: Snapshot<T> = { value, at: now, settled };
    this.snapshots.set(key, next);
    value.then(
      result => {
        next.settled = { value: result, at: now };
      },
      () => {
        if (this.snapshots.get(key) === next) this.snapshots.delete(key);
      },
    );
    if (settled && now - settled.at < this.freshMs * 5) {
      return Promise.resolve(settled.value);
    }
    return value;
  }
}
