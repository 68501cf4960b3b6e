// @ts-check

/**
 * The deployments GitHub asked the portal about as a custom deployment protection rule (the
 * portal's GitHub App, deployment_protection_rule webhooks), and how each was decided in the
 * portal. Times are epoch milliseconds; repositories are `owner/name` on the configured GitHub host.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('delivery_protection_gates', table => {
    table.comment(
      'Runs held by the portal deployment protection rule, and their decisions',
    );
    table.increments('id').primary();
    table.string('repository', 255).notNullable();
    table.bigInteger('run_id').notNullable();
    table
      .string('environment', 255)
      .notNullable()
      .comment('GitHub environment');
    table.bigInteger('deployment_id').notNullable();
    table
      .string('callback_url', 1024)
      .notNullable()
      .comment('deployment_callback_url, checked against the GitHub API base');
    table
      .string('requester', 255)
      .nullable()
      .comment(
        'GitHub login of the triggering actor of the run (the webhook sender)',
      );
    table
      .string('deployment_creator', 255)
      .nullable()
      .comment('GitHub login of the creator of the deployment');
    table.bigInteger('requested_at').notNullable();
    table
      .string('state', 16)
      .notNullable()
      .comment('waiting | approved | rejected');
    table.string('decided_by', 255).nullable().comment('user entity ref');
    table.bigInteger('decided_at').nullable();
    table.text('comment').nullable();
    table.unique(['repository', 'run_id', 'environment', 'deployment_id'], {
      indexName: 'delivery_protection_gates_request_idx',
    });
    table.index(['state', 'repository'], 'delivery_protection_gates_state_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('delivery_protection_gates');
};
