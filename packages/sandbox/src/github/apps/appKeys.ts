import { KeyObject, generateKeyPairSync } from 'node:crypto';

/*
 * The GitHub Apps' key pairs. On GitHub an App's owner generates a private key in the App's
 * settings and downloads it as a PEM file; GitHub keeps the public half to check the JWTs the App
 * signs with it. The sandbox makes one 2048-bit RSA pair per App the first time it is needed and
 * keeps it in memory for the life of the server: never in a snapshot, never on disk unless asked
 * (`titanic-sandbox --app-private-key <file>`), and the same across `/_sandbox/reset`, so a
 * portal configured with the key keeps working.
 */

interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export class AppKeys {
  private readonly pairs = new Map<number, KeyPair>();

  private pair(appId: number): KeyPair {
    let pair = this.pairs.get(appId);
    if (!pair) {
      pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.pairs.set(appId, pair);
    }
    return pair;
  }

  /** The App's private key as GitHub's download has it: PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`). */
  privateKeyPem(appId: number): string {
    return this.pair(appId)
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
  }

  /** What the App's JWTs are checked against. */
  publicKey(appId: number): KeyObject {
    return this.pair(appId).publicKey;
  }
}
