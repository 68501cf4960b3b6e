/**
 * Shares one database read among concurrent callers without ever answering a caller with a read
 * that started before it asked: a caller arriving while a read is in flight waits for the next
 * one. Every caller therefore still sees the database as of its own arrival (no stale answers),
 * while a burst of N requests costs two queries instead of N.
 */
export class CoalescedRead<T> {
  private inFlight: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly query: () => Promise<T>) {}

  read(): Promise<T> {
    if (this.inFlight === undefined) return this.start();
    // The read in flight may have taken its snapshot before this call: join the next one.
    this.next ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.start();
      });
    return this.next;
  }

  private start(): Promise<T> {
    const read = this.query().finally(() => {
      if (this.inFlight === read) this.inFlight = undefined;
    });
    this.inFlight = read;
    return read;
  }
}
