/** A failure SonarCloud answers as `{"errors":[{"msg":…}]}` with its HTTP status. */
export class SonarError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** A query parameter the web service cannot do without (400 when missing, as SonarCloud answers). */
export function required(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (!value) throw new SonarError(400, `The '${name}' parameter is missing`);
  return value;
}
