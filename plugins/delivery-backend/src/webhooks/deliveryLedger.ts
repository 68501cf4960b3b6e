import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const TABLE = 'delivery_github_webhook_deliveries';
/** Its own migrations table: the events plugin's database keeps the events backend's migrations. */
const MIGRATIONS_TABLE = 'delivery_webhooks_knex_migrations';

/**
 * The deliveries accepted lately, by GitHub's delivery id, in the database every replica shares:
 * the first replica to record an id accepts the delivery, every later post of it is a replay.
 */
export class DeliveryLedger {
  static async create(
    database: DatabaseService,
    now: () => number = Date.now,
  ): Promise<DeliveryLedger> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@internal/plugin-delivery-backend',
          'webhook-migrations',
        ),
        tableName: MIGRATIONS_TABLE,
      });
    }
    return new DeliveryLedger(knex, now);
  }

  private constructor(
    private readonly knex: Knex,
    private readonly now: () => number,
  ) {}

  /** Records the delivery; false when some replica recorded the same id before. */
  async recordFirst(deliveryId: string, event: string): Promise<boolean> {
    const inserted = await this.knex(TABLE)
      .insert({ delivery_id: deliveryId, event, received_at: this.now() })
      .onConflict('delivery_id')
      .ignore()
      .returning('delivery_id');
    return inserted.length === 1;
  }

  /** Forgets deliveries received before `before` (epoch ms); answers how many. */
  async forgetBefore(before: number): Promise<number> {
    return this.knex(TABLE).where('received_at', '<', before).delete();
  }
}
