import type { PeopleRepository } from './people-repository.js';
import type { Person, StoredPerson } from './person.js';

export interface PeopleList {
  /** The change counter the list was read at. */
  changes: string;
  people: StoredPerson[];
  /** The whole list, already serialized by the response schema. */
  body: Buffer;
  etag: string;
}

/**
 * The serialized list of everyone, kept per process and checked against the database's change
 * counter on every call: a write committed by any replica changes the counter, so a stale list is
 * never served; it only saves reading and serializing 887 rows when nothing changed.
 */
export class PeopleListCache {
  private cached: PeopleList | undefined;

  constructor(
    private readonly repository: PeopleRepository,
    private readonly serialize: (people: Person[]) => string,
  ) {}

  async current(): Promise<PeopleList> {
    const changes = await this.repository.changes();
    const cached = this.cached;
    if (cached !== undefined && cached.changes === changes) return cached;
    const snapshot = await this.repository.snapshot();
    const list: PeopleList = {
      changes: snapshot.changes,
      people: snapshot.people,
      body: Buffer.from(this.serialize(snapshot.people)),
      etag: `"people-${snapshot.changes}"`,
    };
    this.cached = list;
    return list;
  }
}
