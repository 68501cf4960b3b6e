/**
 * Shares database reads among concurrent callers without ever answering a caller with a read
 * that was sent before it asked: callers only ever join a read that has not been sent yet. Every
 * caller therefore sees the database as of its own arrival (no stale answers), while a burst of
 * requests costs a few queries instead of one each.
 *
 * Callers arriving in the same event-loop turn share one read, sent at the end of that turn; up
 * to `maxInFlight` reads overlap, so a caller rarely waits for an older read to finish first.
 */
export class CoalescedRead<T> {
  private unsent: Promise<T> | undefined;
  private inFlight = 0;
  private readonly waitingToSend: Array<() => void> = [];

  constructor(
    private readonly query: () => Promise<T>,
    private readonly maxInFlight = 4,
  ) {}

  read(): Promise<T> {
    if (this.unsent !== undefined) return this.unsent;
    const read = new Promise<T>((resolve, reject) => {
      const send = () => {
        // From here on the read may see an older state than a later caller's arrival.
        if (this.unsent === read) this.unsent = undefined;
        this.inFlight += 1;
        this.query()
          .then(resolve, reject)
          .finally(() => {
            this.inFlight -= 1;
            this.waitingToSend.shift()?.();
          });
      };
      setImmediate(() => {
        if (this.inFlight < this.maxInFlight) send();
        else this.waitingToSend.push(send);
      });
    });
    this.unsent = read;
    return read;
  }
}
