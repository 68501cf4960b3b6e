import { SecretFinding } from './records';

/*
 * What gitleaks finds in titanic-service's history. The job log (gitleaks' own output) and the
 * SARIF uploaded to code scanning are both rendered from this catalog, so a log line and its
 * alert always agree.
 */

/** The two secrets bob committed in the "payment provider configuration" change. */
export const LEAKED_SECRETS: readonly SecretFinding[] = [
  {
    ruleId: 'stripe-access-token',
    description:
      'Found a Stripe Access Token, posing a risk to payment processing services and sensitive financial data.',
    path: 'src/payments/stripeClient.ts',
    line: 14,
    linePrefix: "  apiKey: '",
    lineSuffix: "',",
    entropy: 4.912,
  },
  {
    ruleId: 'aws-access-token',
    description:
      'Identified a pattern that may indicate AWS credentials, risking unauthorized cloud resource access and data breaches.',
    path: 'deploy/scripts/backup.sh',
    line: 9,
    linePrefix: 'export AWS_ACCESS_KEY_ID=',
    lineSuffix: '',
    entropy: 3.684,
  },
];
