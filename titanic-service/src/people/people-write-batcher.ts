import { isDatabaseUnavailable } from '../database/database-errors.js';
import type { PeopleRepository } from './people-repository.js';
import type { PersonData, StoredPerson } from '../schemas/person.js';

interface PendingCreate {
  person: PersonData;
  resolve: (created: StoredPerson) => void;
  reject: (error: unknown) => void;
}

/** Rows per INSERT; keeps a batch's parameters and latency small. */
const maxBatchSize = 128;

/**
 * Creates that arrive in the same event-loop turn go to the database as one INSERT (one round
 * trip, one commit) instead of one each. Every row was validated by the schema first, so a batch
 * failing is rare; when it does, nothing was written (one statement) and each create is retried
 * alone, so one bad row cannot fail its neighbours and a failed write still changes nothing.
 */
export class PeopleWriteBatcher {
  private queue: PendingCreate[] = [];
  private scheduled = false;

  constructor(private readonly repository: PeopleRepository) {}

  create(person: PersonData): Promise<StoredPerson> {
    return new Promise((resolve, reject) => {
      this.queue.push({ person, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    for (let start = 0; start < queue.length; start += maxBatchSize) {
      void this.write(queue.slice(start, start + maxBatchSize));
    }
  }

  private async write(batch: PendingCreate[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [PendingCreate];
      return this.repository.create(only.person).then(only.resolve, only.reject);
    }
    try {
      const created = await this.repository.createMany(batch.map((pending) => pending.person));
      batch.forEach((pending, index) => pending.resolve(created[index]!));
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      await Promise.all(
        batch.map((pending) =>
          this.repository.create(pending.person).then(pending.resolve, pending.reject),
        ),
      );
    }
  }
}
