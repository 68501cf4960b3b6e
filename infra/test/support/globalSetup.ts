import { ensureHelmBinary } from './helmBinary.js';

// Extract helm once before the workers start, so parallel test files never race on the cache.
export default function setup(): void {
  process.env.TITANIC_HELM_BINARY = ensureHelmBinary();
}
