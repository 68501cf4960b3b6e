import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../support/commandRunner.js';
import { environments, terraformRoot } from '../support/repositoryPaths.js';
import {
  environmentDirectory,
  moduleDirectory,
  moduleNames,
  parseTerraformDirectory,
  terraformFiles,
} from '../support/terraformConfiguration.js';

describe('terraform formatting and parsing', () => {
  it('is formatted as `terraform fmt` writes it (or says visibly that terraform is missing)', context => {
    const version = runCommand('terraform', ['version']);
    if (version.status !== 0) {
      console.warn('terraform binary not found on PATH: skipping `terraform fmt -check` (parsing and policy tests still run)');
      context.skip();
    }
    const check = runCommand('terraform', ['fmt', '-check', '-recursive', '-diff', terraformRoot]);
    expect(check.stdout, 'files terraform fmt would rewrite').toBe('');
    expect(check.status).toBe(0);
  });

  it('parses every .tf file with hcl2json', async () => {
    const files = terraformFiles(terraformRoot);
    expect(files.length).toBeGreaterThanOrEqual(moduleNames.length * 4 + environments.length * 5);
    for (const directory of new Set(files.map(file => path.dirname(file)))) {
      const parsed = await parseTerraformDirectory(directory);
      expect(Object.keys(parsed.files).length, directory).toBeGreaterThan(0);
    }
  });
});

describe.each(moduleNames)('module %s', moduleName => {
  const directory = moduleDirectory(moduleName);

  it('has main.tf, variables.tf, outputs.tf, versions.tf and a README', () => {
    for (const file of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md']) {
      expect(fs.existsSync(path.join(directory, file)), file).toBe(true);
    }
  });

  it('declares every variable with a type and a description, and validates the free-form ones', async () => {
    const parsed = await parseTerraformDirectory(directory);
    expect(Object.keys(parsed.variables).length).toBeGreaterThan(0);
    for (const [name, variable] of Object.entries(parsed.variables)) {
      expect(variable.type, `${moduleName}.${name} type`).toBeTruthy();
      expect(variable.description, `${moduleName}.${name} description`).toMatch(/\w{3,}/);
    }
    // Names and numbers that AWS would reject late are rejected at plan time instead.
    const validated = Object.entries(parsed.variables).filter(([, variable]) => variable.validation);
    expect(validated.length).toBeGreaterThan(0);
  });

  it('describes every output', async () => {
    const parsed = await parseTerraformDirectory(directory);
    expect(Object.keys(parsed.outputs).length).toBeGreaterThan(0);
    for (const [name, output] of Object.entries(parsed.outputs)) {
      expect(output.description, `${moduleName} output ${name}`).toMatch(/\w{3,}/);
    }
  });

  it('documents every input and output in its README', async () => {
    const parsed = await parseTerraformDirectory(directory);
    const readme = fs.readFileSync(path.join(directory, 'README.md'), 'utf8');
    for (const name of [...Object.keys(parsed.variables), ...Object.keys(parsed.outputs)]) {
      expect(readme, `README mentions ${name}`).toContain(`\`${name}\``);
    }
  });
});

describe('version pinning', () => {
  it('pins Terraform and every provider with a bounded constraint in every module and environment', async () => {
    const directories = [...moduleNames.map(moduleDirectory), ...environments.map(environmentDirectory)];
    for (const directory of directories) {
      const parsed = await parseTerraformDirectory(directory);
      const [terraformBlock] = parsed.terraformBlocks.filter(block => block.required_providers);
      expect(terraformBlock?.required_version, directory).toMatch(/^>= 1\.1\d/);
      const providers = Object.entries<any>(terraformBlock.required_providers[0]);
      expect(providers.length).toBeGreaterThan(0);
      for (const [name, requirement] of providers) {
        expect(requirement.source, `${directory} ${name}`).toMatch(/^hashicorp\//);
        expect(requirement.version, `${directory} ${name}`).toMatch(/^~> \d+\.\d+$/);
      }
    }
  });

  it('pins every registry module to an exact version', async () => {
    for (const moduleName of moduleNames) {
      const parsed = await parseTerraformDirectory(moduleDirectory(moduleName));
      for (const [name, call] of Object.entries(parsed.modules)) {
        if (String(call.source).startsWith('.')) continue;
        expect(call.version, `${moduleName}.${name}`).toMatch(/^\d+\.\d+\.\d+$/);
      }
    }
  });
});
