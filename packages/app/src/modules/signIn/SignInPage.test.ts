import { githubAuthApiRef } from '@backstage/core-plugin-api';
import { signInProviders } from './SignInPage';

describe('the sign-in methods the portal offers', () => {
  it('is GitHub when the configuration names none, so a forgotten setting never lets a guest in', () => {
    expect(signInProviders(undefined)).toEqual([
      expect.objectContaining({
        id: 'github-auth-provider',
        apiRef: githubAuthApiRef,
      }),
    ]);
    expect(signInProviders([])).toHaveLength(1);
  });

  it('offers the guest only when the configuration names it', () => {
    expect(signInProviders(['guest'])).toEqual(['guest']);
    expect(signInProviders(['github', 'guest'])).toEqual([
      expect.objectContaining({ title: 'GitHub' }),
      'guest',
    ]);
  });

  it('refuses a method it does not know, naming the setting', () => {
    expect(() => signInProviders(['gitlab'])).toThrow(
      'titanic.signIn.providers: unknown sign-in method "gitlab"; use github or guest',
    );
  });

  it("puts a refusal's reason in the GitHub card, leaving the guest as it is", () => {
    expect(
      signInProviders(
        ['github', 'guest'],
        'The GitHub account "mallory" is not a person of this portal',
      ),
    ).toEqual([
      expect.objectContaining({
        title: 'GitHub',
        message:
          'Sign-in refused. The GitHub account "mallory" is not a person of this portal',
      }),
      'guest',
    ]);
  });
});
