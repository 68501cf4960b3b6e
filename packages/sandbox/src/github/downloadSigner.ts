import { createHmac, randomBytes } from 'node:crypto';

/**
 * Signs the short-lived download URLs GitHub redirects to (logs, artifacts, tarballs): valid
 * for a minute and without a token, like GitHub's signed blob links.
 */
export class DownloadSigner {
  private readonly secret = randomBytes(16).toString('hex');

  constructor(private readonly baseUrl: () => string) {}

  sign(path: string): string {
    const expires = Math.floor(Date.now() / 1000) + 60;
    return `${this.baseUrl()}${path}?expires=${expires}&signature=${this.signature(
      path,
      expires,
    )}`;
  }

  verify(url: URL): boolean {
    const expires = Number(url.searchParams.get('expires'));
    return (
      url.searchParams.get('signature') ===
        this.signature(url.pathname, expires) && expires * 1000 >= Date.now()
    );
  }

  private signature(path: string, expires: number): string {
    return createHmac('sha256', this.secret)
      .update(`${path}:${expires}`)
      .digest('hex');
  }
}
