// @ts-check

/**
 * The audit trail of approve/reject/rollback attempts (issue "Delivery dashboards 2/2").
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('delivery_audit', table => {
    table.comment(
      'Every approve, reject and rollback attempt, allowed or denied',
    );
    table.increments('id').primary();
    table.string('at', 32).notNullable().comment('ISO 8601 UTC');
    table.string('actor', 255).notNullable().comment('user entity ref');
    table.string('actor_display_name', 255).nullable();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 64).notNullable();
    table
      .string('action', 16)
      .notNullable()
      .comment('approve | reject | rollback');
    table.string('from_text', 512).nullable();
    table.string('to_text', 512).nullable();
    table.integer('from_revision').nullable();
    table.integer('to_revision').nullable();
    table.bigInteger('run_id').nullable();
    table.text('reason').nullable();
    table.string('permission', 8).notNullable().comment('allowed | denied');
    table
      .string('result', 16)
      .notNullable()
      .comment('succeeded | no-op | denied | failed');
    table.text('error').nullable();
    table.string('rollout_status', 16).nullable();
    table.string('completed_at', 32).nullable();
    table.index(
      ['entity_ref', 'environment', 'id'],
      'delivery_audit_entity_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('delivery_audit');
};
