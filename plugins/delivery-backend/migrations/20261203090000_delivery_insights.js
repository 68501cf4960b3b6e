// @ts-check

/**
 * The production history the delivery insights (the four DORA keys, the overview) are computed
 * from, stored as GitHub and the portal report it (issue "Delivery insights"). Times are epoch
 * milliseconds; repositories are `owner/name` on the configured GitHub host.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('delivery_insights_repositories', table => {
    table.comment(
      'Repositories whose history is kept, and how far it was read',
    );
    table.string('repository', 255).primary();
    table.string('default_branch', 255).nullable();
    table.bigInteger('backfilled_at').nullable().comment('first read finished');
    table.bigInteger('synced_at').nullable().comment('last read from GitHub');
    table
      .integer('version')
      .notNullable()
      .defaultTo(0)
      .comment('bumped on every recorded fact');
    table.integer('critical_findings').nullable();
  });
  await knex.schema.createTable('delivery_insights_deployments', table => {
    table.comment(
      'GitHub deployments with what their statuses and commits say',
    );
    table.bigInteger('id').primary().comment('GitHub deployment id');
    table.string('repository', 255).notNullable();
    table.string('environment', 255).notNullable();
    table.string('sha', 64).notNullable();
    table.string('ref', 255).notNullable();
    table.string('task', 255).notNullable();
    table.string('creator', 255).nullable();
    table.string('description', 512).nullable();
    table.bigInteger('created_at').notNullable();
    table
      .bigInteger('started_at')
      .nullable()
      .comment('first in_progress status');
    table.bigInteger('succeeded_at').nullable().comment('first success status');
    table
      .bigInteger('failed_at')
      .nullable()
      .comment('first failure/error status');
    table.string('state', 32).nullable().comment('newest status');
    table.bigInteger('state_at').nullable();
    table.string('html_url', 512).notNullable();
    table
      .string('commits', 16)
      .nullable()
      .comment('resolved | no-base | null (not yet)');
    table
      .text('first_shipped')
      .nullable()
      .comment('JSON [{sha, committedAt, headline}] shipped here first');
    table.index(
      ['repository', 'environment'],
      'delivery_insights_dep_repo_idx',
    );
  });
  await knex.schema.createTable('delivery_insights_commits', table => {
    table.comment(
      'Commits each production deployment shipped (GitHub compare)',
    );
    table.bigInteger('deployment_id').notNullable();
    table.string('repository', 255).notNullable();
    table.string('sha', 64).notNullable();
    table.bigInteger('committed_at').notNullable();
    table.string('headline', 255).notNullable();
    table.primary(['deployment_id', 'sha']);
    table.index(['repository', 'sha'], 'delivery_insights_commit_sha_idx');
  });
  await knex.schema.createTable('delivery_insights_runs', table => {
    table.comment(
      'Pipeline runs: gate pass rate, latest gate result, waiting reviews',
    );
    table.bigInteger('id').primary().comment('GitHub workflow run id');
    table.string('repository', 255).notNullable();
    table.integer('run_number').notNullable();
    table.string('name', 255).notNullable();
    table.string('title', 512).notNullable();
    table.string('workflow_path', 255).notNullable();
    table.string('branch', 255).notNullable();
    table.string('head_sha', 64).notNullable();
    table.string('event', 64).notNullable();
    table.string('status', 32).notNullable();
    table.string('conclusion', 32).nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.string('html_url', 512).notNullable();
    table.index(['repository', 'created_at'], 'delivery_insights_run_repo_idx');
  });
  await knex.schema.createTable('delivery_insights_rollbacks', table => {
    table.comment(
      'Rollbacks of production made in the portal, from the audit trail',
    );
    table.integer('audit_id').primary();
    table.string('repository', 255).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 64).notNullable();
    table.string('actor', 255).notNullable();
    table.bigInteger('at').notNullable();
    table.bigInteger('completed_at').nullable();
    table.string('phase', 16).nullable();
    table.index(['repository'], 'delivery_insights_rollback_repo_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('delivery_insights_rollbacks');
  await knex.schema.dropTable('delivery_insights_runs');
  await knex.schema.dropTable('delivery_insights_commits');
  await knex.schema.dropTable('delivery_insights_deployments');
  await knex.schema.dropTable('delivery_insights_repositories');
};
