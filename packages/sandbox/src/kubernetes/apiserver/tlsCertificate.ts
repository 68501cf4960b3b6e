/*
 * A throw-away self-signed serving certificate for the sandbox. kubectl (client-go) sends
 * credentials only over TLS, so speaking to kubectl needs https; the certificate is made per
 * start with the system's openssl and trusted through the kubeconfig's certificate-authority-data.
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServingCertificate {
  /** PEM private key. */
  key: string;
  /** PEM certificate, which is also its own certificate authority. */
  cert: string;
}

export function generateServingCertificate(
  hosts: string[] = ['127.0.0.1', 'localhost'],
): ServingCertificate {
  const directory = fs.mkdtempSync(
    path.join(os.tmpdir(), 'titanic-sandbox-tls-'),
  );
  try {
    const keyFile = path.join(directory, 'key.pem');
    const certFile = path.join(directory, 'cert.pem');
    const subjectAltNames = hosts
      .map(host =>
        /^[\d.]+$/.test(host) || host.includes(':')
          ? `IP:${host}`
          : `DNS:${host}`,
      )
      .join(',');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '30',
        '-subj',
        '/CN=titanic-sandbox',
        '-addext',
        `subjectAltName=${subjectAltNames}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,digitalSignature,keyCertSign',
        '-addext',
        'extendedKeyUsage=serverAuth',
      ],
      { stdio: 'pipe' },
    );
    return {
      key: fs.readFileSync(keyFile, 'utf8'),
      cert: fs.readFileSync(certFile, 'utf8'),
    };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
