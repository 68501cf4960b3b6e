// @ts-check

/**
 * The approvals inbox asks on every view which repositories have a run waiting for a review:
 * a partial index keeps that answer to the few waiting rows instead of a scan of every run.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('delivery_insights_runs', table => {
    table.index(['repository'], 'delivery_insights_run_waiting_idx', {
      predicate: knex.whereRaw("status = 'waiting'"),
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('delivery_insights_runs', table => {
    table.dropIndex(['repository'], 'delivery_insights_run_waiting_idx');
  });
};
