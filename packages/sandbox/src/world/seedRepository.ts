import { PORTAL_APP_BOT, PORTAL_APP_TOKEN, seedApps } from './appSeed';
import { WORKFLOW_NAME, WORKFLOW_PATH } from './pipeline';
import { WorldState } from './records';
import { seedSonarProject } from './sonarSeed';

/*
 * The seeded repository before any run: acme-corp/titanic-service, its users, team, tokens,
 * workflow and environments, and the SonarCloud project. seedWorld.ts adds the history.
 */

export const REPOSITORY_OWNER = 'acme-corp';
export const REPOSITORY_NAME = 'titanic-service';
export const GITHUB_PORTAL_BOT_TOKEN = 'sandbox-github-portal-bot';
export const GITHUB_VIEWER_TOKEN = 'sandbox-github-viewer';
export const GITHUB_DEVELOPER_TOKEN = 'sandbox-github-developer';
/** carol's: an owner of acme-corp, who may manage its webhooks and its repositories' webhooks. */
export const GITHUB_ORG_ADMIN_TOKEN = 'sandbox-github-org-admin';
export const SONAR_TOKEN = 'sandbox-sonar-token';
/** The GitHub account of the portal's local guest sign-in (catalog/org.yaml annotates it). */
export const GUEST_GITHUB_LOGIN = 'guest-acme';
/** The seeded repository's id: every record of its history carries it as repositoryId. */
export const SEEDED_REPOSITORY_ID = 812_345_678;

/** The world before its first run: no commits, runs, deployments or alerts yet. */
export function baseState(): WorldState {
  return {
    version: 1,
    repository: {
      id: SEEDED_REPOSITORY_ID,
      owner: REPOSITORY_OWNER,
      name: REPOSITORY_NAME,
      description:
        'Titanic passenger API — the reference service of the Titanic Portal',
      defaultBranch: 'develop',
      branches: [
        'develop',
        'main',
        'feature/passenger-search',
        'feature/survival-stats',
      ],
      private: true,
      language: 'TypeScript',
      topics: ['backstage', 'fastify', 'postgresql', 'titanic'],
      createdAt: '2026-10-01T08:00:00Z',
      updatedAt: '2026-11-25T14:30:02Z',
      pushedAt: '2026-11-25T11:01:58Z',
    },
    users: [
      {
        id: 98_765_432,
        login: REPOSITORY_OWNER,
        type: 'Organization',
        name: 'ACME Corp',
        email: '',
        siteAdmin: false,
      },
      {
        id: 190_000_001,
        login: 'titanic-portal-bot',
        type: 'User',
        name: 'Titanic Portal',
        email: 'titanic-portal-bot@acme-corp.example',
        siteAdmin: false,
      },
      {
        id: 190_000_002,
        login: 'octo-viewer',
        type: 'User',
        name: 'Octo Viewer',
        email: 'octo-viewer@acme-corp.example',
        siteAdmin: false,
      },
      {
        id: 190_000_003,
        login: 'alice',
        type: 'User',
        name: 'Alice Andrews',
        email: 'alice@acme-corp.example',
        siteAdmin: false,
      },
      {
        id: 190_000_004,
        login: 'bob',
        type: 'User',
        name: 'Bob Baker',
        email: 'bob@acme-corp.example',
        siteAdmin: false,
      },
      {
        id: 190_000_005,
        login: 'carol',
        type: 'User',
        name: 'Carol Chen',
        email: 'carol@acme-corp.example',
        siteAdmin: false,
      },
      {
        id: 190_000_006,
        login: 'dave',
        type: 'User',
        name: 'Dave Diaz',
        email: 'dave@acme-corp.example',
        siteAdmin: false,
      },
      {
        id: 190_000_008,
        login: GUEST_GITHUB_LOGIN,
        type: 'User',
        name: 'Guest',
        email: 'guest@acme-corp.example',
        siteAdmin: false,
      },
      // A GitHub account outside the organisation: it can sign in to GitHub, not to the portal.
      {
        id: 190_000_007,
        login: 'mallory',
        type: 'User',
        name: 'Mallory Moss',
        email: 'mallory@example.org',
        siteAdmin: false,
      },
      { ...PORTAL_APP_BOT },
    ],
    teams: [
      {
        id: 9_100_001,
        slug: 'titanic-maintainers',
        name: 'titanic-maintainers',
        description:
          'Maintainers of titanic-service; approve production deployments',
        members: ['alice', GUEST_GITHUB_LOGIN],
      },
      // The owners of titanic-service, the platform team and a team that owns neither: the
      // github-org catalog provider turns each into a Group of the portal.
      {
        id: 9_100_002,
        slug: 'titanic-team',
        name: 'Titanic team',
        description: 'Builds and runs the Titanic service.',
        members: ['alice', 'bob', GUEST_GITHUB_LOGIN],
      },
      {
        id: 9_100_003,
        slug: 'platform-team',
        name: 'Platform team',
        description: 'Runs the portal, the clusters and the golden path.',
        members: ['carol'],
      },
      {
        id: 9_100_004,
        slug: 'data-team',
        name: 'Data team',
        description: 'Analyses the passenger data; owns no delivery.',
        members: ['dave'],
      },
    ],
    organizationMembers: [
      { login: 'alice', role: 'MEMBER' },
      { login: 'bob', role: 'MEMBER' },
      { login: 'carol', role: 'ADMIN' },
      { login: 'dave', role: 'MEMBER' },
      { login: GUEST_GITHUB_LOGIN, role: 'MEMBER' },
      { login: 'octo-viewer', role: 'MEMBER' },
      { login: 'titanic-portal-bot', role: 'MEMBER' },
    ],
    githubTokens: [
      {
        token: GITHUB_PORTAL_BOT_TOKEN,
        login: 'titanic-portal-bot',
        permission: 'write',
      },
      { token: GITHUB_VIEWER_TOKEN, login: 'octo-viewer', permission: 'read' },
      { token: GITHUB_DEVELOPER_TOKEN, login: 'bob', permission: 'write' },
      {
        token: GITHUB_ORG_ADMIN_TOKEN,
        login: 'carol',
        permission: 'write',
        scopes: ['admin:org_hook', 'admin:repo_hook', 'repo', 'read:org'],
      },
      { ...PORTAL_APP_TOKEN },
    ],
    sonarTokens: [SONAR_TOKEN],
    commits: [],
    workflows: [
      {
        id: 118_000_001,
        repositoryId: SEEDED_REPOSITORY_ID,
        name: WORKFLOW_NAME,
        path: WORKFLOW_PATH,
        createdAt: '2026-10-01T08:10:00Z',
        updatedAt: '2026-11-06T16:39:00Z',
      },
    ],
    runs: [],
    jobs: [],
    artifacts: [],
    environments: [
      {
        id: 4_200_000_001,
        repositoryId: SEEDED_REPOSITORY_ID,
        name: 'dev',
        createdAt: '2026-10-01T08:20:00Z',
        updatedAt: '2026-10-01T08:20:00Z',
        waitTimer: 0,
        reviewers: [],
        preventSelfReview: false,
        protectedBranchesOnly: false,
        url: 'https://titanic-dev.acme-corp.example',
      },
      {
        id: 4_200_000_002,
        repositoryId: SEEDED_REPOSITORY_ID,
        name: 'staging',
        createdAt: '2026-10-01T08:21:00Z',
        updatedAt: '2026-10-01T08:21:00Z',
        waitTimer: 0,
        reviewers: [],
        preventSelfReview: false,
        protectedBranchesOnly: true,
        url: 'https://titanic-staging.acme-corp.example',
      },
      {
        id: 4_200_000_003,
        repositoryId: SEEDED_REPOSITORY_ID,
        name: 'production',
        createdAt: '2026-10-01T08:22:00Z',
        updatedAt: '2026-10-15T12:00:00Z',
        waitTimer: 0,
        reviewers: [
          { type: 'User', name: 'titanic-portal-bot' },
          { type: 'Team', name: 'titanic-maintainers' },
        ],
        // As a real organisation sets it: whoever started a run may not approve its deployment.
        preventSelfReview: true,
        protectedBranchesOnly: true,
        url: 'https://titanic-prod.acme-corp.example',
      },
    ],
    deployments: [],
    approvals: [],
    sarifUploads: [],
    analyses: [],
    alerts: [],
    sonar: [seedSonarProject()],
    hooks: [],
    apps: seedApps(REPOSITORY_OWNER),
    sequences: {
      run: 12_000_000_000,
      job: 33_000_000_000,
      artifact: 2_100_000_000,
      deployment: 1_900_000_000,
      deploymentStatus: 3_800_000_000,
      alert: 0,
      analysis: 870_000_000,
      checkSuite: 29_000_000_000,
      workflow: 118_100_000,
      environment: 4_210_000_000,
      hook: 512_000_000,
    },
  };
}
