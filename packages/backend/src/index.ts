/*
 * Hi!
 *
 * Note that this is an EXAMPLE Backstage backend. Please check the README.
 *
 * Happy hacking!
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// golden-path template actions: a new service from the reference titanic-service
backend.add(import('@internal/plugin-scaffolder-backend-module-titanic'));

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
// Sign-in: GitHub in production (Backstage's GitHub authenticator; catalog users matched by their
// GitHub login and account id), the guest only where app-config.guest.yaml configures it.
backend.add(import('@internal/plugin-auth-backend-module-titanic'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
// people and teams from the GitHub organisation (catalog.providers.githubOrg, production)
backend.add(import('@backstage/plugin-catalog-backend-module-github-org'));
// templates' repository pickers offer the GitHub integrations this portal configures
backend.add(import('@internal/plugin-catalog-backend-module-titanic'));

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// The portal's own policy: owners and the platform team decide, everyone reads.
backend.add(import('@internal/plugin-permission-backend-module-titanic'));

// delivery dashboards: pipeline gates, re-runs and scan results of catalog entities
backend.add(import('@internal/plugin-delivery-backend'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// events: Backstage's event bus (on PostgreSQL it reaches every replica) and GitHub's webhooks
// at POST /api/events/http/github, accepted only signed, once, and no larger than configured.
// The delivery plugin's module replaces @backstage/plugin-events-backend-module-github's
// validator (it still routes events to github.<event> with that module's GithubEventRouter).
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@internal/plugin-delivery-backend/webhooks'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
// Slack delivery of notifications; does nothing unless notifications.processors.slack is configured.
backend.add(import('@backstage/plugin-notifications-backend-module-slack'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
