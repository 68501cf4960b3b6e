export interface Config {
  titanic?: {
    signIn?: {
      /**
       * Sign-in methods offered on the sign-in page, in order: `github` (GitHub OAuth, the
       * production sign-in) and `guest` (local mode only: the backend must also configure
       * auth.providers.guest). Default: github.
       * @visibility frontend
       */
      providers?: Array<'github' | 'guest'>;
    };
  };
}
