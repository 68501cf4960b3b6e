import { describe, expect, it } from 'vitest';
import { matchesIfNoneMatch } from '../../src/routes/conditional-request.js';

describe('matchesIfNoneMatch', () => {
  it.each([
    ['"3"', true],
    ['W/"3"', true],
    ['"1", "3"', true],
    ['*', true],
    ['"4"', false],
    ['3', false],
    [undefined, false],
  ])('If-None-Match %s against "3" is %s', (header, expected) => {
    expect(matchesIfNoneMatch(header, '"3"')).toBe(expected);
  });
});
