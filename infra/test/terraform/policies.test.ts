// Checkov-class policies over the parsed Terraform. Each test names the Checkov checks it stands in
// for, so a reviewer can line the claim up with the rule that a real Checkov run enforces in the
// pipeline's IaC gate.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { environments, terraformRoot } from '../support/repositoryPaths.js';
import {
  effectiveValue,
  environmentDirectory,
  moduleDirectory,
  moduleNames,
  parseTerraformDirectory,
  resourcesOfType,
  type ModuleName,
  type TerraformDirectory,
} from '../support/terraformConfiguration.js';

const modules = {} as Record<ModuleName, TerraformDirectory>;
beforeAll(async () => {
  for (const name of moduleNames) modules[name] = await parseTerraformDirectory(moduleDirectory(name));
});

function only(directory: TerraformDirectory, type: string): Record<string, any> {
  const found = resourcesOfType(directory, type);
  expect(found, type).toHaveLength(1);
  return found[0][1];
}

function allResources(): { module: ModuleName; type: string; name: string; body: Record<string, any> }[] {
  return moduleNames.flatMap(module =>
    Object.entries(modules[module].resources).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, [body]]) => ({ module, type, name, body })),
    ),
  );
}

function allPolicyDocuments(): { module: ModuleName; name: string; statements: any[] }[] {
  return moduleNames.flatMap(module =>
    Object.entries(modules[module].data.aws_iam_policy_document ?? {}).map(([name, [body]]) => ({
      module,
      name,
      statements: body.statement ?? [],
    })),
  );
}

describe('encryption at rest (CKV_AWS_16, CKV_AWS_354, CKV_AWS_58, CKV_AWS_136, CKV_AWS_158, CKV_AWS_7, CKV_AWS_8)', () => {
  it('encrypts RDS storage, Performance Insights and the master secret with the customer-managed key', () => {
    const database = only(modules.rds, 'aws_db_instance');
    expect(database.storage_encrypted).toBe(true);
    expect(database.kms_key_id).toBe('${var.kms_key_arn}');
    expect(database.performance_insights_kms_key_id).toBe('${var.kms_key_arn}');
    expect(database.master_user_secret_kms_key_id).toBe('${var.kms_key_arn}');
  });

  it('encrypts Kubernetes Secrets in etcd with KMS', () => {
    const cluster = only(modules.eks, 'aws_eks_cluster');
    const [encryption] = cluster.encryption_config;
    expect(encryption.resources).toEqual(['secrets']);
    expect(encryption.provider[0].key_arn).toBe('${var.kms_key_arn}');
  });

  it('encrypts node root volumes', () => {
    const template = only(modules.eks, 'aws_launch_template');
    const [ebs] = template.block_device_mappings[0].ebs;
    expect(ebs.encrypted).toBe(true);
    expect(ebs.kms_key_id).toBe('${var.kms_key_arn}');
  });

  it('encrypts ECR images with KMS', () => {
    const repository = only(modules.ecr, 'aws_ecr_repository');
    expect(repository.encryption_configuration[0]).toEqual({ encryption_type: 'KMS', kms_key: '${var.kms_key_arn}' });
  });

  it('encrypts every CloudWatch log group with KMS', () => {
    const groups = allResources().filter(resource => resource.type === 'aws_cloudwatch_log_group');
    expect(groups.length).toBeGreaterThanOrEqual(2);
    for (const group of groups) expect(group.body.kms_key_id, `${group.module}.${group.name}`).toBe('${var.kms_key_arn}');
  });

  it('rotates the customer-managed key', () => {
    expect(only(modules.kms, 'aws_kms_key').enable_key_rotation).toBe(true);
  });

  it('wires every module to the environment key', async () => {
    const environment = await parseTerraformDirectory(environmentDirectory('prod'));
    for (const [name, call] of Object.entries(environment.modules)) {
      if (name === 'kms') continue;
      expect(call.kms_key_arn, name).toBe('${module.kms.key_arn}');
    }
  });
});

describe('no public database (CKV_AWS_17, CKV2_AWS_5)', () => {
  it('is not publicly accessible and lives in the private subnets', async () => {
    expect(only(modules.rds, 'aws_db_instance').publicly_accessible).toBe(false);
    const environment = await parseTerraformDirectory(environmentDirectory('prod'));
    expect(environment.modules.rds.private_subnet_ids).toBe('${module.network.private_subnet_ids}');
  });

  it('admits connections on 5432 only from the cluster nodes’ security group, never from a CIDR', async () => {
    const rules = resourcesOfType(modules.rds, 'aws_vpc_security_group_ingress_rule');
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0];
    expect(rule).toMatchObject({ from_port: 5432, to_port: 5432, ip_protocol: 'tcp' });
    expect(rule.referenced_security_group_id).toBe('${each.value}');
    expect(rule.cidr_ipv4).toBeUndefined();
    expect(rule.cidr_ipv6).toBeUndefined();
    const environment = await parseTerraformDirectory(environmentDirectory('prod'));
    expect(environment.modules.rds.allowed_security_group_ids).toEqual(['${module.eks.node_security_group_id}']);
  });

  it('forces TLS for every connection (rds.force_ssl = 1)', () => {
    const parameters = only(modules.rds, 'aws_db_parameter_group').parameter as { name: string; value: string }[];
    expect(parameters).toContainEqual({ name: 'rds.force_ssl', value: '1' });
  });

  it('keeps nodes in private subnets and gives public subnets no automatic public IPs (CKV_AWS_130)', async () => {
    const environment = await parseTerraformDirectory(environmentDirectory('prod'));
    expect(environment.modules.eks.private_subnet_ids).toBe('${module.network.private_subnet_ids}');
    const [, publicSubnet] = resourcesOfType(modules.network, 'aws_subnet').find(([name]) => name === 'public')!;
    expect(publicSubnet.map_public_ip_on_launch).toBe(false);
  });
});

describe('backups and recovery (CKV_AWS_133, CKV_AWS_293, CKV_AWS_157)', () => {
  it.each(([
    ['dev', 7],
    ['staging', 7],
    ['prod', 30],
  ] as const).filter(([environment]) => environments.includes(environment)))('%s keeps %i days of automated backups with point-in-time recovery', async (environment, days) => {
    const database = only(modules.rds, 'aws_db_instance');
    expect(await effectiveValue(environment, 'rds', database.backup_retention_period)).toBeGreaterThanOrEqual(days);
    expect(database.delete_automated_backups).toBe(false);
    expect(database.skip_final_snapshot).toBe(false);
    expect(database.copy_tags_to_snapshot).toBe(true);
  });

  it('turns on multi-AZ and deletion protection in prod', async () => {
    const database = only(modules.rds, 'aws_db_instance');
    expect(await effectiveValue('prod', 'rds', database.multi_az)).toBe(true);
    expect(await effectiveValue('prod', 'rds', database.deletion_protection)).toBe(true);
  });

  it('runs PostgreSQL 16', async () => {
    const database = only(modules.rds, 'aws_db_instance');
    expect(database.engine).toBe('postgres');
    for (const environment of environments) {
      expect(await effectiveValue(environment, 'rds', database.engine_version)).toMatch(/^16\./);
    }
  });
});

describe('instance metadata (CKV_AWS_79, CKV_AWS_341)', () => {
  it('requires IMDSv2 with a hop limit of 1 on every node, through the node group’s launch template', () => {
    const template = only(modules.eks, 'aws_launch_template');
    expect(template.metadata_options[0]).toMatchObject({
      http_endpoint: 'enabled',
      http_tokens: 'required',
      http_put_response_hop_limit: 1,
    });
    const nodeGroups = resourcesOfType(modules.eks, 'aws_eks_node_group');
    expect(nodeGroups.length).toBeGreaterThan(0);
    for (const [, nodeGroup] of nodeGroups) {
      expect(nodeGroup.launch_template[0].id).toBe('${aws_launch_template.node.id}');
    }
  });
});

describe('logging and monitoring (CKV_AWS_37, CKV2_AWS_11, CKV_AWS_129, CKV_AWS_118, CKV_AWS_353, CKV_AWS_338)', () => {
  it('sends all five EKS control-plane log types to CloudWatch', () => {
    expect(only(modules.eks, 'aws_eks_cluster').enabled_cluster_log_types.sort()).toEqual(
      ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].sort(),
    );
  });

  it('records VPC flow logs for all traffic', () => {
    const flowLog = only(modules.network, 'aws_flow_log');
    expect(flowLog.traffic_type).toBe('ALL');
    expect(flowLog.vpc_id).toBe('${aws_vpc.this.id}');
  });

  it('exports PostgreSQL logs, enables enhanced monitoring and Performance Insights', () => {
    const database = only(modules.rds, 'aws_db_instance');
    expect(database.enabled_cloudwatch_logs_exports).toContain('postgresql');
    expect(database.monitoring_interval).toBeGreaterThan(0);
    expect(database.performance_insights_enabled).toBe(true);
    expect(database.auto_minor_version_upgrade).toBe(true);
  });

  it('keeps logs at least a year by default and never less than 90 days', () => {
    for (const [module, variable] of [
      ['network', 'flow_log_retention_days'],
      ['eks', 'log_retention_days'],
    ] as const) {
      const declaration = modules[module].variables[variable];
      expect(declaration.default).toBeGreaterThanOrEqual(365);
      expect(declaration.validation[0].condition).toContain('[90, 180, 365');
    }
  });
});

describe('network exposure (CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_38, CKV_AWS_39, CKV2_AWS_12)', () => {
  const openCidrs = ['0.0.0.0/0', '::/0'];

  it('opens nothing to 0.0.0.0/0 except the ALB on 443', () => {
    const openRules: string[] = [];
    for (const resource of allResources()) {
      const { type, body } = resource;
      const inlineIngress = type === 'aws_security_group' ? (body.ingress ?? []) : [];
      const standalone =
        type === 'aws_vpc_security_group_ingress_rule' || (type === 'aws_security_group_rule' && body.type === 'ingress')
          ? [body]
          : [];
      for (const rule of [...inlineIngress, ...standalone]) {
        const cidrs = [rule.cidr_ipv4, rule.cidr_ipv6, ...(rule.cidr_blocks ?? []), ...(rule.ipv6_cidr_blocks ?? [])];
        if (cidrs.some(cidr => openCidrs.includes(cidr))) {
          openRules.push(`${resource.module}.${type}.${resource.name} ${rule.from_port}-${rule.to_port} -> ${rule.security_group_id}`);
        }
      }
    }
    expect(openRules).toEqual(['network.aws_vpc_security_group_ingress_rule.alb_https 443-443 -> ${aws_security_group.alb.id}']);
  });

  it('limits the ALB’s egress to the service port inside the VPC', () => {
    const egress = resourcesOfType(modules.network, 'aws_vpc_security_group_egress_rule');
    expect(egress).toHaveLength(1);
    expect(egress[0][1]).toMatchObject({ cidr_ipv4: '${var.vpc_cidr}', from_port: '${var.service_port}' });
  });

  it('keeps the EKS API private, with public access limited to listed CIDRs that are never 0.0.0.0/0', async () => {
    const cluster = only(modules.eks, 'aws_eks_cluster');
    const [vpc] = cluster.vpc_config;
    expect(vpc.endpoint_private_access).toBe(true);
    expect(vpc.public_access_cidrs).toBe('${var.public_access_cidrs}');
    expect(modules.eks.variables.public_access_cidrs.validation[0].condition).toContain('cidr != "0.0.0.0/0"');
    expect(modules.eks.variables.public_access_cidrs.default).toBeUndefined();
    for (const environment of environments) {
      const cidrs = (await effectiveValue(environment, 'eks', vpc.public_access_cidrs)) as string[];
      for (const cidr of cidrs) expect(openCidrs).not.toContain(cidr);
    }
  });

  it('strips every rule from the VPC’s default security group', () => {
    const defaultGroup = only(modules.network, 'aws_default_security_group');
    expect(defaultGroup.ingress).toBeUndefined();
    expect(defaultGroup.egress).toBeUndefined();
  });

  it('spreads subnets over three availability zones with a NAT route for private subnets', async () => {
    for (const environment of environments) {
      const parsed = await parseTerraformDirectory(environmentDirectory(environment));
      expect(parsed.modules.network.az_count).toBe(3);
    }
    expect(resourcesOfType(modules.network, 'aws_route').map(([name]) => name).sort()).toEqual(['private_nat', 'public_internet']);
  });
});

describe('least-privilege IAM (CKV_AWS_1, CKV_AWS_289, CKV_AWS_290, CKV_AWS_355, CKV_AWS_274)', () => {
  // The KMS key policy's account-root statement is how AWS expects key administration to be
  // delegated to IAM; it is the one place "*" is the documented form.
  const isKeyPolicyRootStatement = (module: string, document: string, statement: any) =>
    module === 'kms' && document === 'key' && statement.sid === 'AccountAdministration';

  it('grants no wildcard actions', () => {
    for (const document of allPolicyDocuments()) {
      for (const statement of document.statements) {
        if (isKeyPolicyRootStatement(document.module, document.name, statement)) continue;
        for (const action of statement.actions ?? []) {
          expect(action, `${document.module}.${document.name}`).not.toBe('*');
          expect(action, `${document.module}.${document.name}`).not.toMatch(/^[a-z0-9-]+:\*$/);
        }
        expect(statement.not_actions, `${document.module}.${document.name}`).toBeUndefined();
      }
    }
  });

  it('scopes every permission policy to named resources (only key policies use "*", meaning the key itself)', () => {
    for (const document of allPolicyDocuments()) {
      for (const statement of document.statements) {
        if (!statement.resources) continue;
        if (document.module === 'kms' && document.name === 'key') continue;
        expect(statement.resources, `${document.module}.${document.name}`).not.toContain('*');
      }
    }
  });

  it('lets the service role read only the database secret, and trusts only the service’s ServiceAccount', async () => {
    const [permissions] = modules.eks.data.aws_iam_policy_document.service_secrets;
    expect(permissions.statement.flatMap((statement: any) => statement.actions).sort()).toEqual(
      ['kms:Decrypt', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'].sort(),
    );
    const [trust] = modules.eks.data.aws_iam_policy_document.service_trust;
    const conditions = trust.statement[0].condition.map((condition: any) => [condition.variable, condition.values]);
    expect(conditions).toContainEqual([
      '${local.oidc_issuer}:sub',
      ['system:serviceaccount:${var.service_namespace}:${var.service_account_name}'],
    ]);
    expect(conditions).toContainEqual(['${local.oidc_issuer}:aud', ['sts.amazonaws.com']]);
    const environment = await parseTerraformDirectory(environmentDirectory('prod'));
    expect(environment.modules.eks.service_secret_arns).toEqual(['${module.rds.master_user_secret_arn}']);
  });

  it('attaches only the AWS-managed policies EKS, RDS monitoring and node image pulls require', () => {
    const attached = allResources()
      .filter(resource => resource.type === 'aws_iam_role_policy_attachment')
      .flatMap(resource => {
        const forEach = resource.body.for_each as string | undefined;
        const names = forEach ? [...forEach.matchAll(/"([A-Za-z0-9_]+)"/g)].map(match => match[1]) : [];
        return names.length ? names : [String(resource.body.policy_arn).split('/').pop()];
      });
    expect(attached.sort()).toEqual(
      [
        'AmazonEKSClusterPolicy',
        'AmazonEKSWorkerNodePolicy',
        'AmazonEKS_CNI_Policy',
        'AmazonEC2ContainerRegistryReadOnly',
        'AmazonRDSEnhancedMonitoringRole',
      ].sort(),
    );
  });

  it('trusts the load balancer controller role only from its own ServiceAccount', () => {
    const call = modules.eks.modules.load_balancer_controller_irsa;
    expect(call.source).toBe('terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks');
    expect(call.oidc_providers.cluster.namespace_service_accounts).toEqual(['kube-system:aws-load-balancer-controller']);
  });
});

describe('no literal secrets (CKV_AWS_41, CKV_AWS_46, CKV_SECRET_*)', () => {
  const secretAttribute = /(^|_)(password|secret|secret_key|access_key|token|private_key)$/;

  function findLiteralSecrets(value: unknown, trail: string, found: string[]): void {
    if (Array.isArray(value)) value.forEach((item, index) => findLiteralSecrets(item, `${trail}[${index}]`, found));
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (secretAttribute.test(key) && typeof child === 'string' && !child.startsWith('${')) found.push(`${trail}.${key}`);
        findLiteralSecrets(child, `${trail}.${key}`, found);
      }
    }
  }

  it('sets no password, secret, token or access key attribute to a literal anywhere', async () => {
    const found: string[] = [];
    const directories = [...moduleNames.map(moduleDirectory), ...environments.map(environmentDirectory)];
    for (const directory of directories) {
      const parsed = await parseTerraformDirectory(directory);
      findLiteralSecrets(parsed.files, path.relative(terraformRoot, directory), found);
    }
    expect(found).toEqual([]);
  });

  it('lets RDS generate and hold the master password in Secrets Manager', () => {
    const database = only(modules.rds, 'aws_db_instance');
    expect(database.manage_master_user_password).toBe(true);
    expect(database.password).toBeUndefined();
  });

  it('configures no static credentials in the AWS provider', async () => {
    const parsed = await parseTerraformDirectory(environmentDirectory('prod'));
    const [provider] = parsed.providers.aws;
    expect(Object.keys(provider).sort()).toEqual(['default_tags', 'region']);
  });

  it('keeps no tfvars with secrets beside the committed terraform.tfvars', () => {
    for (const environment of environments) {
      const files = fs.readdirSync(environmentDirectory(environment)).filter(name => name.includes('tfvars'));
      expect(files).toEqual(['terraform.tfvars']);
    }
  });
});

describe('container registry (CKV_AWS_51, CKV_AWS_163)', () => {
  it('makes tags immutable and scans every pushed image', () => {
    const repository = only(modules.ecr, 'aws_ecr_repository');
    expect(repository.image_tag_mutability).toBe('IMMUTABLE');
    expect(repository.image_scanning_configuration[0].scan_on_push).toBe(true);
  });
});

describe('cluster composition', () => {
  it('runs a managed node group in the private subnets, with the core add-ons and an IRSA OIDC provider', () => {
    const [, nodeGroup] = resourcesOfType(modules.eks, 'aws_eks_node_group')[0];
    expect(nodeGroup.subnet_ids).toBe('${var.private_subnet_ids}');
    expect(only(modules.eks, 'aws_eks_addon').for_each).toBe('${toset(["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent"])}');
    const provider = only(modules.eks, 'aws_iam_openid_connect_provider');
    expect(provider.client_id_list).toEqual(['sts.amazonaws.com']);
    expect(provider.url).toBe('${aws_eks_cluster.this.identity[0].oidc[0].issuer}');
  });

  it('authenticates to the cluster through access entries only, without implicit admin for its creator', () => {
    const [access] = only(modules.eks, 'aws_eks_cluster').access_config;
    expect(access).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    const [, entries] = resourcesOfType(modules.eks, 'aws_eks_access_entry')[0];
    expect(entries.for_each).toBe('${toset(var.cluster_admin_role_arns)}');
    const [, association] = resourcesOfType(modules.eks, 'aws_eks_access_policy_association')[0];
    expect(association.policy_arn).toMatch(/cluster-access-policy\/AmazonEKSClusterAdminPolicy"?$/);
  });
});
