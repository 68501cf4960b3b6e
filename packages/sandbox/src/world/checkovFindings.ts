import { CheckovFinding } from './records';
import { SeededRandom } from './seededRandom';

/*
 * What checkov finds in titanic-service's infrastructure over its history: the baseline the
 * team accepted and the checks one change broke. The job logs (checkov's own output) and the
 * SARIF uploaded to code scanning are both rendered from these catalogs.
 */

const K8S_GUIDE =
  'https://docs.prismacloud.io/en/enterprise-edition/policy-reference/kubernetes-policies/kubernetes-policy-index/';
const AWS_GUIDE =
  'https://docs.prismacloud.io/en/enterprise-edition/policy-reference/aws-policies/';

/** The three checks the "NET_RAW for debugging" change broke. */
export const CHECKOV_NEW_FAILURES: readonly CheckovFinding[] = [
  {
    checkId: 'CKV_K8S_20',
    name: 'Containers should not run with allowPrivilegeEscalation',
    resource: 'Deployment.titanic-dev.titanic-service',
    path: 'infra/k8s/base/deployment.yaml',
    startLine: 1,
    endLine: 71,
    guide: `${K8S_GUIDE}bc-k8s-19`,
    baseline: false,
  },
  {
    checkId: 'CKV_K8S_28',
    name: 'Minimize the admission of containers with the NET_RAW capability',
    resource: 'Deployment.titanic-dev.titanic-service',
    path: 'infra/k8s/base/deployment.yaml',
    startLine: 1,
    endLine: 71,
    guide: `${K8S_GUIDE}bc-k8s-27`,
    baseline: false,
  },
  {
    checkId: 'CKV_K8S_23',
    name: 'Minimize the admission of root containers',
    resource: 'Deployment.titanic-dev.titanic-service',
    path: 'infra/k8s/base/deployment.yaml',
    startLine: 1,
    endLine: 71,
    guide: `${K8S_GUIDE}bc-k8s-22`,
    baseline: false,
  },
];

const CHECKOV_BASELINE_CHECKS: ReadonlyArray<[string, string, string, string]> =
  [
    [
      'CKV_K8S_15',
      'Image Pull Policy should be Always',
      'infra/k8s/base/deployment.yaml',
      'bc-k8s-14',
    ],
    [
      'CKV_K8S_43',
      'Image should use digest',
      'infra/k8s/base/deployment.yaml',
      'bc-k8s-39',
    ],
    [
      'CKV_K8S_35',
      'Prefer using secrets as files over secrets as environment variables',
      'infra/k8s/base/deployment.yaml',
      'bc-k8s-33',
    ],
    [
      'CKV_K8S_38',
      'Ensure that Service Account Tokens are only mounted where necessary',
      'infra/k8s/base/deployment.yaml',
      'bc-k8s-35',
    ],
    [
      'CKV_K8S_21',
      'The default namespace should not be used',
      'infra/k8s/base/service.yaml',
      'bc-k8s-20',
    ],
    [
      'CKV2_K8S_6',
      'Minimize the admission of pods which lack an associated NetworkPolicy',
      'infra/k8s/base/deployment.yaml',
      'bc-k8s-38',
    ],
    [
      'CKV_K8S_31',
      'Ensure that the seccomp profile is set to docker/default or runtime/default',
      'infra/k8s/overlays/dev/patch-debug.yaml',
      'bc-k8s-29',
    ],
  ];

const CHECKOV_TERRAFORM_CHECKS: ReadonlyArray<
  [string, string, string, string]
> = [
  [
    'CKV_AWS_144',
    'Ensure that S3 bucket has cross-region replication enabled',
    'aws_s3_bucket',
    's3-policies/ensure-that-s3-bucket-has-cross-region-replication-enabled',
  ],
  [
    'CKV_AWS_145',
    'Ensure that S3 buckets are encrypted with KMS by default',
    'aws_s3_bucket',
    's3-policies/ensure-that-s3-buckets-are-encrypted-with-kms-by-default',
  ],
  [
    'CKV2_AWS_62',
    'Ensure S3 buckets should have event notifications enabled',
    'aws_s3_bucket',
    's3-policies/bc-aws-2-62',
  ],
  [
    'CKV_AWS_18',
    'Ensure the S3 bucket has access logging enabled',
    'aws_s3_bucket',
    's3-policies/s3-13-enable-logging',
  ],
  [
    'CKV_AWS_157',
    'Ensure that RDS instances have Multi-AZ enabled',
    'aws_db_instance',
    'aws-general-policies/general-73',
  ],
  [
    'CKV_AWS_118',
    'Ensure that enhanced monitoring is enabled for Amazon RDS instances',
    'aws_db_instance',
    'aws-logging-policies/ensure-that-enhanced-monitoring-is-enabled-for-amazon-rds-instances',
  ],
  [
    'CKV_AWS_161',
    'Ensure RDS database has IAM authentication enabled',
    'aws_db_instance',
    'aws-iam-policies/ensure-rds-database-has-iam-authentication-enabled',
  ],
  [
    'CKV_AWS_293',
    'Ensure that AWS database instances have deletion protection enabled',
    'aws_db_instance',
    'aws-general-policies/bc-aws-293',
  ],
  [
    'CKV2_AWS_30',
    'Ensure Postgres RDS as aws_db_instance has Query Logging enabled',
    'aws_db_instance',
    'aws-logging-policies/bc-aws-2-30',
  ],
  [
    'CKV_AWS_39',
    'Ensure Amazon EKS public endpoint disabled',
    'aws_eks_cluster',
    'aws-kubernetes-policies/bc-aws-kubernetes-2',
  ],
  [
    'CKV_AWS_38',
    'Ensure Amazon EKS public endpoint not accessible to 0.0.0.0/0',
    'aws_eks_cluster',
    'aws-kubernetes-policies/bc-aws-kubernetes-1',
  ],
  [
    'CKV_AWS_37',
    'Ensure Amazon EKS control plane logging is enabled for all log types',
    'aws_eks_cluster',
    'aws-kubernetes-policies/bc-aws-kubernetes-4',
  ],
  [
    'CKV_AWS_58',
    'Ensure EKS Cluster has Secrets Encryption Enabled',
    'aws_eks_cluster',
    'aws-kubernetes-policies/bc-aws-kubernetes-3',
  ],
  [
    'CKV_AWS_130',
    'Ensure VPC subnets do not assign public IP by default',
    'aws_subnet',
    'aws-networking-policies/ensure-vpc-subnets-do-not-assign-public-ip-by-default',
  ],
  [
    'CKV2_AWS_11',
    'Ensure VPC flow logging is enabled in all VPCs',
    'aws_vpc',
    'aws-logging-policies/logging-9-enable-vpc-flow-logging',
  ],
  [
    'CKV2_AWS_12',
    'Ensure the default security group of every VPC restricts all traffic',
    'aws_vpc',
    'aws-networking-policies/networking-4',
  ],
  [
    'CKV_AWS_23',
    'Ensure every security group and rule has a description',
    'aws_security_group',
    'aws-networking-policies/networking-31',
  ],
  [
    'CKV_AWS_382',
    'Ensure no security groups allow egress from 0.0.0.0:0 to port -1',
    'aws_security_group',
    'aws-networking-policies/bc-aws-382',
  ],
  [
    'CKV_AWS_158',
    'Ensure that CloudWatch Log Group is encrypted by KMS',
    'aws_cloudwatch_log_group',
    'aws-general-policies/ensure-that-cloudwatch-log-group-is-encrypted-by-kms',
  ],
  [
    'CKV_AWS_338',
    'Ensure CloudWatch log groups retains logs for at least 1 year',
    'aws_cloudwatch_log_group',
    'aws-logging-policies/bc-aws-338',
  ],
  [
    'CKV_AWS_136',
    'Ensure that ECR repositories are encrypted using KMS',
    'aws_ecr_repository',
    'aws-general-policies/ensure-that-ecr-repositories-are-encrypted',
  ],
  [
    'CKV_AWS_51',
    'Ensure ECR Image Tags are immutable',
    'aws_ecr_repository',
    'aws-general-policies/bc-aws-general-24',
  ],
];

const TERRAFORM_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
const TERRAFORM_FILE_BY_RESOURCE: Record<string, string> = {
  aws_s3_bucket: 'modules/storage/main.tf',
  aws_db_instance: 'modules/database/main.tf',
  aws_eks_cluster: 'modules/cluster/main.tf',
  aws_subnet: 'modules/network/main.tf',
  aws_vpc: 'modules/network/main.tf',
  aws_security_group: 'modules/network/security.tf',
  aws_cloudwatch_log_group: 'modules/cluster/logging.tf',
  aws_ecr_repository: 'modules/registry/main.tf',
};

/** Findings the team has accepted in its checkov baseline: reported on every scan. */
export function checkovBaselineFindings(): CheckovFinding[] {
  const random = new SeededRandom(0xc4ec0f);
  const findings: CheckovFinding[] = CHECKOV_BASELINE_CHECKS.map(
    ([checkId, name, path, guide]) => ({
      checkId,
      name,
      resource: path.endsWith('service.yaml')
        ? 'Service.default.titanic-service'
        : 'Deployment.default.titanic-service',
      path,
      startLine: 1,
      endLine: path.endsWith('service.yaml') ? 14 : 71,
      guide: `${K8S_GUIDE}${guide}`,
      baseline: true,
    }),
  );
  for (const [checkId, name, resourceType, guide] of CHECKOV_TERRAFORM_CHECKS) {
    const file = TERRAFORM_FILE_BY_RESOURCE[resourceType];
    const startLine = random.integer(3, 60);
    // Environment-scoped resources show up once per environment composition.
    const environments =
      resourceType === 'aws_ecr_repository'
        ? ['shared']
        : TERRAFORM_ENVIRONMENTS;
    for (const environment of environments) {
      findings.push({
        checkId,
        name,
        resource: `module.titanic_${environment}.${resourceType}.this`,
        path: `infra/terraform/${file}`,
        startLine,
        endLine: startLine + random.integer(8, 30),
        guide: `${AWS_GUIDE}${guide}`,
        baseline: true,
      });
    }
  }
  return findings;
}
