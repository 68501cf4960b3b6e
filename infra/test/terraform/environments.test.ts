import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { environments } from '../support/repositoryPaths.js';
import { environmentDirectory, moduleNames, parseTerraformDirectory, parseTfvars } from '../support/terraformConfiguration.js';

const sharedFiles = ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf'];

describe('environments', () => {
  it.each(sharedFiles)('keep %s identical in dev, staging and prod (differences are variables, not copies)', file => {
    const [first, ...others] = environments.map(environment =>
      fs.readFileSync(path.join(environmentDirectory(environment), file), 'utf8'),
    );
    for (const other of others) expect(other).toBe(first);
  });

  it('declare every environment variable with a type and a description', async () => {
    const parsed = await parseTerraformDirectory(environmentDirectory('prod'));
    for (const [name, variable] of Object.entries(parsed.variables)) {
      expect(variable.type, `${name} type`).toBeTruthy();
      expect(variable.description, `${name} description`).toMatch(/\w{3,}/);
    }
    for (const [name, output] of Object.entries(parsed.outputs)) expect(output.description, `output ${name}`).toMatch(/\w{3,}/);
  });

  it('compose every module from ../../modules and declare no resources of their own', async () => {
    const parsed = await parseTerraformDirectory(environmentDirectory('prod'));
    const sources = Object.values(parsed.modules).map(call => call.source).sort();
    expect(sources).toEqual(moduleNames.map(name => `../../modules/${name}`).sort());
    expect(parsed.resources).toEqual({});
  });

  it.each(environments)('%s sets every required variable in terraform.tfvars, for its own environment', async environment => {
    const parsed = await parseTerraformDirectory(environmentDirectory(environment));
    const tfvars = await parseTfvars(path.join(environmentDirectory(environment), 'terraform.tfvars'));
    expect(tfvars.environment).toBe(environment);
    for (const [name, variable] of Object.entries(parsed.variables)) {
      if (!('default' in variable)) expect(tfvars, `${environment} sets ${name}`).toHaveProperty(name);
    }
    for (const name of Object.keys(tfvars)) expect(parsed.variables, `${name} is declared`).toHaveProperty(name);
  });

  it.each(environments)('%s keeps state in an encrypted S3 backend with locking, under its own key', async environment => {
    const parsed = await parseTerraformDirectory(environmentDirectory(environment));
    const backends = parsed.terraformBlocks.flatMap(block => (block.backend ? [block.backend] : []));
    expect(backends).toHaveLength(1);
    const [s3] = backends[0].s3;
    expect(s3.encrypt).toBe(true);
    expect(s3.kms_key_id).toBeTruthy();
    expect(s3.use_lockfile).toBe(true);
    expect(s3.key).toBe(`titanic-service/${environment}/terraform.tfstate`);
  });

  it('rejects a prod configuration without multi-AZ, deletion protection or 30-day backups', async () => {
    const parsed = await parseTerraformDirectory(environmentDirectory('prod'));
    const condition = (name: string) => String(parsed.variables[name].validation?.[0]?.condition);
    expect(condition('db_multi_az')).toContain('var.environment != "prod" || var.db_multi_az');
    expect(condition('db_deletion_protection')).toContain('var.environment != "prod" || var.db_deletion_protection');
    expect(condition('db_backup_retention_days')).toContain('var.environment == "prod" ? 30 : 7');
  });

  it('gives each environment its own non-overlapping VPC range', async () => {
    const ranges = await Promise.all(
      environments.map(async environment =>
        (await parseTfvars(path.join(environmentDirectory(environment), 'terraform.tfvars'))).vpc_cidr as string,
      ),
    );
    const secondOctets = ranges.map(range => range.split('.').slice(0, 2).join('.'));
    expect(new Set(secondOctets).size).toBe(environments.length);
    for (const range of ranges) expect(range).toMatch(/\/16$/);
  });
});
