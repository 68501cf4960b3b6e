import { CoalescedRead } from './coalesced-read.js';
import type { PeopleRepository, PeopleSnapshot } from './people-repository.js';
import type { StoredPerson } from '../schemas/person.js';

export interface PeopleList {
  /** The change counter the list was read at. */
  changes: string;
  people: StoredPerson[];
  byUuid: Map<string, StoredPerson>;
  /** The whole list, already serialized by the response schema. */
  body: Buffer;
  etag: string;
}

/**
 * Everyone, kept per process and checked against the database's change counter on every call: a
 * write committed by any replica changes the counter, so a stale list is never served. It saves
 * reading and serializing every row (and, for reads by uuid, a query) while nothing changed.
 */
export class PeopleListCache {
  private cached: PeopleList | undefined;
  private refreshing = false;
  private readonly changes: CoalescedRead<string>;
  private readonly snapshots: CoalescedRead<PeopleSnapshot>;

  constructor(
    repository: PeopleRepository,
    private readonly serialize: (people: StoredPerson[]) => string,
  ) {
    this.changes = new CoalescedRead(() => repository.changes());
    this.snapshots = new CoalescedRead(() => repository.snapshot());
  }

  /** The list as of now, read again from the database when anything changed. */
  async current(): Promise<PeopleList> {
    const fresh = await this.ifCurrent();
    if (fresh !== undefined) return fresh;
    const snapshot = await this.snapshots.read();
    const cached = this.cached;
    if (cached !== undefined && cached.changes === snapshot.changes) return cached;
    const list: PeopleList = {
      changes: snapshot.changes,
      people: snapshot.people,
      byUuid: new Map(snapshot.people.map((person) => [person.uuid, person])),
      body: Buffer.from(this.serialize(snapshot.people)),
      etag: `"people-${snapshot.changes}"`,
    };
    // Reads may finish out of order: an older list kept here is simply rebuilt on the next call.
    this.cached = list;
    return list;
  }

  /**
   * Rebuilds the list in the background, one rebuild at a time, so reads that only use it when
   * current (by uuid) find it current again soon after a write. A failure waits for the next call.
   */
  refresh(): void {
    if (this.refreshing) return;
    this.refreshing = true;
    this.current()
      .catch(() => undefined)
      .finally(() => {
        this.refreshing = false;
      });
  }

  /** The cached list if nothing changed since it was read, else undefined (nothing is rebuilt). */
  async ifCurrent(): Promise<PeopleList | undefined> {
    if (this.cached === undefined) return undefined;
    const changes = await this.changes.read();
    const cached = this.cached;
    return cached.changes === changes ? cached : undefined;
  }
}
