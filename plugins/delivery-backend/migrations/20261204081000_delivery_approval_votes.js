// @ts-check

/**
 * Approvals given in the portal for an environment that needs several distinct people
 * (`delivery.environments[].minimumApprovals`): kept until the last one needed is sent to GitHub.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('delivery_approval_votes', table => {
    table.comment(
      'Approvals recorded in the portal while an environment needs more distinct people',
    );
    table.string('repository', 255).notNullable().comment('owner/name');
    table.bigInteger('run_id').notNullable();
    table.string('github_environment', 255).notNullable();
    table.string('user_entity_ref', 255).notNullable();
    table.string('display_name', 255).nullable();
    table.string('comment', 2048).nullable();
    table.bigInteger('at').notNullable().comment('epoch milliseconds');
    table.primary([
      'repository',
      'run_id',
      'github_environment',
      'user_entity_ref',
    ]);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('delivery_approval_votes');
};
