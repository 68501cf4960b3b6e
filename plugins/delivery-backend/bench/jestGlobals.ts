/*
 * startDeliveryBackend builds Backstage's mock services, which call `jest.fn()`. Outside jest the
 * benchmarks provide it from jest-mock, the library jest's own `jest.fn` comes from.
 */
import { ModuleMocker } from 'jest-mock';

const mocker = new ModuleMocker(globalThis);
const globals = globalThis as { jest?: unknown };
globals.jest ??= {
  fn: mocker.fn.bind(mocker),
  spyOn: mocker.spyOn.bind(mocker),
};
