import { formatAge, formatDuration } from './durations';

describe('formatDuration', () => {
  it('shows seconds, then minutes with padded seconds, then hours with padded minutes', () => {
    expect(formatDuration(9)).toBe('9s');
    expect(formatDuration(187)).toBe('3m 07s');
    expect(formatDuration(3720)).toBe('1h 02m');
  });

  it('shows a dash for a gate that has not started', () => {
    expect(formatDuration(null)).toBe('—');
  });
});

describe('formatAge', () => {
  it('names the largest whole unit', () => {
    expect(formatAge(10)).toBe('less than a minute');
    expect(formatAge(60)).toBe('1 minute');
    expect(formatAge(12 * 60)).toBe('12 minutes');
    expect(formatAge(3 * 3600 + 60)).toBe('3 hours');
    expect(formatAge(2 * 86400)).toBe('2 days');
  });
});
