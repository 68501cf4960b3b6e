/*
 * titanic-sandbox: starts the sandbox servers on the contract's default ports and prints how to
 * point the portal at them.
 *
 *   titanic-sandbox [--host 127.0.0.1] [--github-port 7080] [--kubernetes-port 7081]
 *                   [--sonar-port 7082] [--load world.json] [--save world.json] [--time-scale 0.05]
 *                   [--real-tests] [--app-private-key titanic-portal.pem]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  ADMIN_TOKEN,
  DEFAULT_PORTS,
  VIEWER_TOKEN,
  GITHUB_DEVELOPER_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  GITHUB_VIEWER_TOKEN,
  PORTAL_APP_CLIENT_ID,
  PORTAL_APP_ID,
  PORTAL_APP_INSTALLATION_ID,
  PORTAL_APP_SLUG,
  REPOSITORY_OWNER,
  SONAR_TOKEN,
  startSandbox,
} from './index';

const USAGE = `Usage: titanic-sandbox [options]

  --host <host>              interface to listen on (default 127.0.0.1)
  --github-port <port>       GitHub REST API (default ${DEFAULT_PORTS.github})
  --kubernetes-port <port>   Kubernetes API (default ${DEFAULT_PORTS.kubernetes})
  --sonar-port <port>        SonarCloud Web API (default ${DEFAULT_PORTS.sonar})
  --load <file>              start from a JSON snapshot instead of the seeded world
  --save <file>              write the world to a JSON snapshot on exit (SIGINT/SIGTERM)
  --time-scale <factor>      speed of live jobs; 1 = real time (default 0.05)
  --real-tests               created repositories' pipelines run the service's npm scripts for
                             real (minutes per run) instead of deriving the result from the tree
  --app-private-key <file>   write the titanic-portal GitHub App's private key (PEM, generated at
                             start) to <file>, for integrations.github[].apps[].privateKey
  --help                     show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      'github-port': { type: 'string', default: String(DEFAULT_PORTS.github) },
      'kubernetes-port': {
        type: 'string',
        default: String(DEFAULT_PORTS.kubernetes),
      },
      'sonar-port': { type: 'string', default: String(DEFAULT_PORTS.sonar) },
      load: { type: 'string' },
      save: { type: 'string' },
      'time-scale': { type: 'string', default: '0.05' },
      'real-tests': { type: 'boolean', default: false },
      'app-private-key': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const sandbox = await startSandbox({
    host: values.host,
    githubPort: Number(values['github-port']),
    kubernetesPort: Number(values['kubernetes-port']),
    sonarPort: Number(values['sonar-port']),
    seed: values.load
      ? { snapshot: readFileSync(values.load, 'utf8') }
      : 'seed',
    timeScale: Number(values['time-scale']),
    realTests: values['real-tests'],
  });
  const { kubernetes } = sandbox;
  const keyFile = values['app-private-key'];
  // Readable by its owner only, as a downloaded key should be.
  if (keyFile)
    writeFileSync(keyFile, sandbox.github.apps.privateKey(), { mode: 0o600 });
  const lines = [
    'Titanic sandbox is running',
    '',
    `GitHub REST API   ${sandbox.github.baseUrl}`,
    `  token ${GITHUB_PORTAL_BOT_TOKEN}  user titanic-portal-bot (write; required reviewer of production)`,
    `  token ${GITHUB_DEVELOPER_TOKEN}   user bob (write; not a reviewer)`,
    `  token ${GITHUB_VIEWER_TOKEN}      user octo-viewer (read only)`,
    `  admin ${sandbox.github.baseUrl}/_sandbox/requests | /_sandbox/rate-limit | /_sandbox/snapshot | /_sandbox/reset`,
    `  app   ${PORTAL_APP_SLUG}: appId ${PORTAL_APP_ID}, clientId ${PORTAL_APP_CLIENT_ID}, installed on ${REPOSITORY_OWNER} (installation ${PORTAL_APP_INSTALLATION_ID})`,
    `        private key ${keyFile ? `written to ${keyFile}; also ` : ''}GET ${
      sandbox.github.baseUrl
    }/_sandbox/app/private-key`,
    `Kubernetes API    ${kubernetes.server}`,
    `  token ${ADMIN_TOKEN} (full rights), ${VIEWER_TOKEN} (get/list/watch only)`,
    `SonarCloud API    ${sandbox.sonarcloud.baseUrl}`,
    `  token ${SONAR_TOKEN}`,
    '',
    `World: ${values.load ? `snapshot ${values.load}` : 'seeded'}${
      values.save ? `; saved to ${values.save} on exit` : ''
    }`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (values.save) {
      writeFileSync(values.save, sandbox.snapshot());
      process.stdout.write(`World saved to ${values.save}\n`);
    }
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch(error => {
  process.stderr.write(
    `${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
