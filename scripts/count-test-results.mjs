// Prints "<passed> <failed>" from a jest, vitest or playwright JSON report.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (report.stats && 'expected' in report.stats) {
  // playwright: flaky tests passed on a retry, unexpected ones failed
  const { expected, unexpected, flaky } = report.stats;
  console.log(`${expected + flaky} ${unexpected}`);
} else if ('numPassedTests' in report) {
  // jest and vitest; suites that failed to load count as failures too
  const failedToLoad = (report.testResults ?? []).filter(
    r => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
  ).length;
  console.log(
    `${report.numPassedTests} ${report.numFailedTests + failedToLoad}`,
  );
} else {
  throw new Error(`unrecognised test report ${process.argv[2]}`);
}
