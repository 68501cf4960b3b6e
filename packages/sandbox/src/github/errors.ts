/** An error answered in GitHub's REST error shape. */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl = 'https://docs.github.com/rest',
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      documentation_url: this.documentationUrl,
      ...this.extra,
      status: String(this.status),
    };
  }
}

export function notFound(): GitHubError {
  return new GitHubError(404, 'Not Found');
}

/** 422 the way GitHub reports an invalid request body. */
export function invalidRequest(
  detail: string,
  documentationUrl?: string,
): GitHubError {
  return new GitHubError(
    422,
    `Invalid request.\n\n${detail}`,
    documentationUrl,
  );
}

export function validationFailed(
  errors: Array<{
    resource: string;
    field: string;
    code: string;
    message?: string;
  }>,
  documentationUrl?: string,
): GitHubError {
  return new GitHubError(422, 'Validation Failed', documentationUrl, {
    errors,
  });
}
