import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { environments, repositoryRoot } from '../support/repositoryPaths.js';
import { loadWorkflow, workflowFiles, readWorkflowText } from '../support/githubWorkflows.js';
import { environmentDirectory, parseTfvars } from '../support/terraformConfiguration.js';

const docsRoot = path.join(repositoryRoot, 'docs');
const read = (file: string) => fs.readFileSync(path.join(docsRoot, file), 'utf8');
const documents = fs.readdirSync(docsRoot).filter(name => name.endsWith('.md')).sort();

/** Rows of the Markdown table that follows a heading, as arrays of trimmed cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`heading "${heading}" not found`);
  const lines = markdown.slice(start).split('\n').slice(1);
  const table = lines.slice(lines.findIndex(line => line.startsWith('|')));
  const rows = table.slice(0, table.findIndex(line => !line.startsWith('|')) >>> 0);
  return rows.slice(2).map(row => row.split('|').slice(1, -1).map(cell => cell.trim()));
}

const amount = (cell: string) => Number(cell.replace(/\*/g, ''));

describe('documentation', () => {
  it('has every chapter the design asks for, all listed in mkdocs.yml for TechDocs', () => {
    const required = [
      'index.md',
      'architecture.md',
      'infrastructure-as-code.md',
      'kubernetes-deployment.md',
      'security-and-compliance.md',
      'observability.md',
      'disaster-recovery.md',
      'decisions.md',
      'known-limitations.md',
      'future-improvements.md',
      'cost.md',
      'setup.md',
    ];
    expect(documents).toEqual(expect.arrayContaining(required));
    const mkdocs = parse(fs.readFileSync(path.join(repositoryRoot, 'mkdocs.yml'), 'utf8'));
    // TechDocs renders the Material theme; the portal builds it with Debian's mkdocs-material and
    // leaves out the techdocs-core Python plugin, which Debian does not package.
    expect(mkdocs.theme).toMatchObject({ name: 'material' });
    expect(mkdocs.plugins ?? []).not.toContain('techdocs-core');
    const navFiles = mkdocs.nav.map((entry: Record<string, string>) => Object.values(entry)[0]).sort();
    expect(navFiles).toEqual(documents);
  });

  it('draws the architecture as a Mermaid diagram', () => {
    expect(read('architecture.md')).toMatch(/```mermaid\n(flowchart|graph) /);
  });

  it('links only to documents and headings that exist', () => {
    const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
    for (const document of documents) {
      for (const [, file] of read(document).matchAll(/\]\(([\w-]+\.md)(#[\w-]+)?\)/g)) {
        expect(fs.existsSync(path.join(docsRoot, file)), `${document} -> ${file}`).toBe(true);
      }
      for (const [, file, anchor] of read(document).matchAll(/\]\(([\w-]+\.md)?#([\w-]+)\)/g)) {
        const headings = [...read(file ?? document).matchAll(/^#{1,4} (.+)$/gm)].map(([, heading]) => slug(heading));
        expect(headings, `${document} -> ${file ?? ''}#${anchor}`).toContain(anchor);
      }
    }
  });

  it('states RPO and RTO, and has restore and rollback runbooks', () => {
    const recovery = read('disaster-recovery.md');
    expect(recovery).toContain('| Failure | RPO (data lost at most) | RTO (time to serve again) |');
    expect(recovery).toContain('## Runbook: roll back a release');
    expect(recovery).toContain('## Runbook: restore the database to a point in time');
    expect(recovery).toContain('rollout undo deployment/titanic-service --to-revision=');
  });

  it('lists every secret the workflows use in the setup secrets table', () => {
    const secretsTable = tableAfter(read('setup.md'), '(GHCR). Then add the secrets:');
    const documented = secretsTable.map(([name]) => name.replace(/`/g, ''));
    const used = new Set(workflowFiles().flatMap(file => [...readWorkflowText(file).matchAll(/secrets\.(\w+)/g)].map(([, name]) => name)));
    expect([...used].sort()).toEqual([...documented].sort());
  });

  it('names the GitHub environments the pipeline deploys to, with production requiring reviewers', () => {
    const pipeline = loadWorkflow('titanic-service.yml');
    const environmentsTable = tableAfter(read('setup.md'), 'Create the environments under *Settings → Environments*:');
    const deployEnvironments = Object.values(pipeline.jobs).flatMap(job =>
      job.environment ? [typeof job.environment === 'string' ? job.environment : job.environment.name] : [],
    );
    expect(environmentsTable.map(([name]) => name.replace(/`/g, ''))).toEqual(deployEnvironments);
    expect(environmentsTable.find(([name]) => name === '`production`')![1]).toContain('Required reviewers');
  });
});

describe('cost estimate', () => {
  const cost = read('cost.md');

  it.each(environments)('adds up the itemized %s total', environment => {
    const rows = tableAfter(cost, `### ${environment}`);
    const items = rows.filter(([item]) => item !== '**Total**');
    const total = rows.find(([item]) => item === '**Total**')!;
    expect(items.length).toBeGreaterThanOrEqual(10);
    const sum = items.reduce((running, row) => running + amount(row[2]), 0);
    expect(amount(total[2])).toBeCloseTo(sum, 2);
  });

  it.each(environments)('prices the %s node and database sizes that terraform.tfvars sets', async environment => {
    const tfvars = await parseTfvars(path.join(environmentDirectory(environment), 'terraform.tfvars'));
    const rows = tableAfter(cost, `### ${environment}`);
    const nodes = rows.find(([item]) => item === 'Worker nodes')![1];
    expect(nodes).toContain(`${tfvars.node_desired_size} × ${tfvars.node_instance_types[0]}`);
    expect(nodes).toContain(tfvars.node_capacity_type === 'SPOT' ? 'Spot' : 'On-Demand');
    const database = rows.find(([item]) => item === 'RDS PostgreSQL')![1];
    expect(database).toContain(tfvars.db_instance_class.replace(/^db\./, 'db.'));
    expect(database).toContain(tfvars.db_multi_az ? 'Multi-AZ' : 'single-AZ');
    const natCount = tfvars.single_nat_gateway ? 1 : 3;
    expect(rows.find(([item]) => item.startsWith('NAT gateway'))![1]).toMatch(new RegExp(`^${natCount} ×`));
  });

  it('sums the environments in the overview table', () => {
    const overview = tableAfter(cost, '### All environments');
    for (const environment of environments) {
      const total = tableAfter(cost, `### ${environment}`).find(([item]) => item === '**Total**')![2];
      expect(overview.find(([name]) => name === environment)![1]).toBe(total.replace(/\*/g, ''));
    }
    const sum = overview.filter(([name]) => name !== '**Total**').reduce((running, row) => running + amount(row[1]), 0);
    expect(amount(overview.find(([name]) => name === '**Total**')![1])).toBeCloseTo(sum, 2);
  });
});
