import {
  GITHUB_USER_LOGIN_ANNOTATION,
  deliveryError,
} from '@internal/plugin-delivery-common';
import { AnnotatedEntities } from '../access/annotatedEntities';
import { GitHubClients, GitHubOctokit } from '../github/client';

/** A person's own GitHub client, for one review. */
export interface Reviewer {
  octokit: GitHubOctokit;
  login: string;
}

/**
 * When reviews are made with the reviewer's own GitHub identity (delivery.github.reviewWith:
 * reviewer): the token that came with the request is the signed-in person's — GitHub says whose
 * it is, the catalog says that login is them — or the review is refused before GitHub hears of
 * it. The token lives in this request only: it is neither stored nor logged.
 */
export class ReviewerIdentities {
  constructor(
    private readonly options: {
      clients: Pick<GitHubClients, 'asPerson'>;
      people: Pick<AnnotatedEntities, 'refs'>;
      host: string;
    },
  ) {}

  async of(
    token: string | undefined,
    userEntityRef: string,
  ): Promise<Reviewer> {
    if (!token) {
      throw deliveryError(
        'github-token-required',
        'Deployments are reviewed with your own GitHub identity here: sign in with GitHub and review again (your GitHub token is sent with the review only)',
      );
    }
    const octokit = this.options.clients.asPerson(this.options.host, token);
    const login = await octokit.rest.users
      .getAuthenticated()
      .then(answer => answer.data.login)
      .catch(error => {
        throw deliveryError(
          'github-token-required',
          `GitHub did not accept the GitHub token sent with the review (${
            (error as { status?: number }).status ?? 'no answer'
          }): sign in with GitHub again`,
        );
      });
    const refs = await this.options.people.refs(
      GITHUB_USER_LOGIN_ANNOTATION,
      login,
      'User',
    );
    if (!refs.includes(userEntityRef)) {
      throw deliveryError(
        'github-token-mismatch',
        `The GitHub token sent with the review is ${login}'s, and ${login} is not you (${userEntityRef}) in the catalog: nobody reviews as someone else`,
      );
    }
    return { octokit, login };
  }
}
