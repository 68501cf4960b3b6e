import userEvent from '@testing-library/user-event';

/**
 * Runs every test of the calling describe block on jest's fake clock, and returns a factory of
 * userEvent instances that move that clock for their own delays.
 *
 * The components poll (the environments every 15 s, a rollback's rollout every 0.5 s, running
 * pipeline runs every 5 s). On the real clock a poll lands between a test's steps whenever the
 * machine is slow, adding calls and renders the test did not ask for. On the fake clock time moves
 * only when the test moves it, or while testing-library's waitFor waits (50 ms a step).
 */
export function runOnFakeClock() {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());
  return () => userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
}
