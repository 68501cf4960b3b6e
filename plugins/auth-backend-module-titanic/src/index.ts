/**
 * GitHub sign-in for the Titanic Portal.
 *
 * @packageDocumentation
 */
export { authModuleTitanicGitHubProvider as default } from './module';
export {
  GITHUB_USER_ID_ANNOTATION,
  GITHUB_USER_LOGIN_ANNOTATION,
  signInByGitHubLogin,
} from './gitHubLoginResolver';
