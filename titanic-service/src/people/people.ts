import type { PersonData, StoredPerson } from '../schemas/person.js';
import { PeopleListCache, type PeopleList } from './people-list-cache.js';
import type { PeopleRepository } from './people-repository.js';
import { PeopleWriteBatcher } from './people-write-batcher.js';

/**
 * What the routes ask of people, with the reads served from the cached list while the database's
 * change counter says it is current, and creates batched per event-loop turn.
 */
export class People {
  private readonly listCache: PeopleListCache;
  private readonly writes: PeopleWriteBatcher;

  constructor(
    private readonly repository: PeopleRepository,
    serializeList: (people: StoredPerson[]) => string,
  ) {
    this.listCache = new PeopleListCache(repository, serializeList);
    this.writes = new PeopleWriteBatcher(repository);
  }

  /** Everyone as of this call, in insertion order. */
  list(): Promise<PeopleList> {
    return this.listCache.current();
  }

  /**
   * One person as of this call. While the cached list is current it answers without a query of
   * its own (a 404 included); after a write it is rebuilt in the background, and meanwhile each
   * read asks the database for its one row.
   */
  async find(uuid: string): Promise<StoredPerson | undefined> {
    const list = await this.listCache.ifCurrent();
    if (list) return list.byUuid.get(uuid.toLowerCase());
    this.listCache.refresh();
    return this.repository.find(uuid);
  }

  create(person: PersonData): Promise<StoredPerson> {
    return this.writes.create(person);
  }

  replace(uuid: string, person: PersonData): Promise<StoredPerson | undefined> {
    return this.repository.replace(uuid, person);
  }

  remove(uuid: string): Promise<boolean> {
    return this.repository.remove(uuid);
  }

  count(): Promise<number> {
    return this.repository.count();
  }
}
