/* The entity annotations the delivery plugins read: the frontend to decide what to show, the backend to act. */

/** The entity's GitHub repository, `owner/name` on the configured GitHub host. */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';
/** A catalog User's GitHub login (set by the github-org provider), e.g. `alice`. */
export const GITHUB_USER_LOGIN_ANNOTATION = 'github.com/user-login';

/** The entity's SonarCloud project. */
export const SONAR_PROJECT_KEY_ANNOTATION = 'sonarqube.org/project-key';

/**
 * The entity's environments, overriding `delivery.environments`: comma-separated
 * `name=[cluster/]namespace` entries, e.g.
 * `dev=titanic-dev, staging=titanic-staging, prod=sandbox/titanic-prod`.
 */
export const ENVIRONMENTS_ANNOTATION = 'titanic.io/environments';
