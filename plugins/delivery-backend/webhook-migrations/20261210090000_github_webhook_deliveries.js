// @ts-check

/**
 * The ids of GitHub webhook deliveries accepted lately (X-GitHub-Delivery), in the events
 * plugin's database: one replica refuses a delivery another replica already accepted.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('delivery_github_webhook_deliveries', table => {
    table.comment(
      'GitHub webhook deliveries accepted, remembered to refuse replays',
    );
    table.string('delivery_id', 100).primary().notNullable();
    table.string('event', 100).notNullable();
    table.bigInteger('received_at').notNullable().comment('epoch ms');
    table.index(['received_at'], 'delivery_github_webhook_received_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('delivery_github_webhook_deliveries');
};
