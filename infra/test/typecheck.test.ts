import path from 'node:path';
import { expect, it } from 'vitest';
import { runCommand } from './support/commandRunner.js';
import { infraRoot } from './support/repositoryPaths.js';

// vitest strips types without checking them; this keeps the suite's own code honest.
it('type-checks the test suite with tsc --noEmit', () => {
  const result = runCommand(path.join(infraRoot, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', infraRoot]);
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
});
