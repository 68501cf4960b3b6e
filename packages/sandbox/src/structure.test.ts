/*
 * The sandbox keeps the project's structure rules, checked on its real files by the project's
 * own checker: no import cycle, and no source file a reader cannot hold (over 500 lines).
 */

import { execFileSync } from 'node:child_process';
import path from 'node:path';

const repositoryRoot = path.resolve(__dirname, '../../..');

describe('the sandbox source tree', () => {
  it('has no import cycle and no source file over 500 lines', () => {
    const report = execFileSync(
      process.execPath,
      [
        path.join(repositoryRoot, 'scripts/check-structure.mjs'),
        path.join(repositoryRoot, 'packages/sandbox/src'),
      ],
      { encoding: 'utf8' },
    );
    expect(report).toContain('0 import cycles, 0 files over 500 lines');
  });
});
