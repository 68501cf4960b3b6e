import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CoverageSummary } from '../../../world/records';

/*
 * What the simulated gates know of the pushed tree: its source and test files, how many tests
 * they declare, the coverage thresholds the test runner enforces. Every simulated result is
 * derived from these, so a change to the tree changes the result.
 */

const SKIPPED = new Set([
  'node_modules',
  '.git',
  'dist',
  'coverage',
  '.terraform',
]);
const CODE = /\.(ts|tsx|js|mjs|cjs|jsx)$/;
/** Files a test runner runs. */
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
/** Test code: test files and their support code (fixtures, helpers). */
const TEST_CODE = /(\.(test|spec)\.|(^|\/)(test|tests|__tests__)\/)/;

/** Files below `directory` (relative paths), build output and dependencies left out. */
export function listFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(relative(directory, path));
    }
  };
  walk(directory);
  return files.sort();
}

export interface SourceFacts {
  sourceFiles: string[];
  sourceLines: number;
  testFiles: string[];
  /** Lines of test code, support code included. */
  testLines: number;
  /** `it(`/`test(` calls in the test files. */
  tests: number;
}

function lineCount(path: string): number {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').filter(line => line.trim() !== '').length;
}

export function sourceFacts(directory: string): SourceFacts {
  const code = listFiles(directory).filter(
    file => CODE.test(file) && !/\.config\.|\.d\.ts$/.test(file),
  );
  const testCode = code.filter(file => TEST_CODE.test(file));
  const testFiles = testCode.filter(file => TEST_FILE.test(file));
  const sourceFiles = code.filter(file => !TEST_CODE.test(file));
  let tests = 0;
  for (const file of testFiles) {
    tests += (
      readFileSync(join(directory, file), 'utf8').match(
        /\b(it|test)(\.each\([^)]*\))?\(/g,
      ) ?? []
    ).length;
  }
  const sum = (files: string[]) =>
    files.reduce((total, file) => total + lineCount(join(directory, file)), 0);
  return {
    sourceFiles,
    sourceLines: sum(sourceFiles),
    testFiles,
    testLines: sum(testCode),
    tests,
  };
}

/**
 * Coverage the tests would plausibly reach: more test code per line of source, more coverage
 * (the reference service, with about as many test lines as source lines, lands in the 80s).
 */
export function estimatedCoverage(facts: SourceFacts): CoverageSummary {
  if (facts.sourceLines === 0 || facts.tests === 0)
    return { statements: 0, branches: 0, functions: 0, lines: 0 };
  const ratio = Math.min(1.5, facts.testLines / facts.sourceLines);
  const lines = Math.min(96, 40 + 38 * ratio);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    statements: round(lines - 0.6),
    branches: round(lines - 8.3),
    functions: round(Math.min(100, lines + 2.8)),
    lines: round(lines),
  };
}

export type Thresholds = Partial<Record<keyof CoverageSummary, number>>;

/** The coverage thresholds of vitest (`thresholds: { lines: 70 }`) or jest (`coverageThreshold`). */
export function coverageThresholds(directory: string): Thresholds {
  const config = listFiles(directory)
    .filter(file => /^(vitest|vite|jest)\.config\.\w+$/.test(file))
    .map(file => readFileSync(join(directory, file), 'utf8'))
    .join('\n');
  const thresholds: Thresholds = {};
  for (const key of ['lines', 'statements', 'functions', 'branches'] as const) {
    const match = new RegExp(`\\b${key}\\s*:\\s*(\\d+(?:\\.\\d+)?)`).exec(
      config,
    );
    if (match) thresholds[key] = Number(match[1]);
  }
  return thresholds;
}

/** Whether a path below the workspace is a directory. */
export function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
