import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parsePassengerCsv } from '../../src/people/passenger-csv.js';
import { fixtureCsvPath } from '../support/test-app.js';

const header = 'Survived,Pclass,Name,Sex,Age,Siblings/Spouses Aboard,Parents/Children Aboard,Fare';

describe('parsePassengerCsv', () => {
  it('maps every column of the fixture, keeping quotes, parentheses and fractional ages', async () => {
    const people = parsePassengerCsv(await readFile(fixtureCsvPath, 'utf8'));
    expect(people).toHaveLength(8);
    expect(people[0]).toEqual({
      survived: false,
      passengerClass: 3,
      name: 'Mr. Owen Harris Braund',
      sex: 'male',
      age: 22,
      siblingsOrSpousesAboard: 1,
      parentsOrChildrenAboard: 0,
      fare: 7.25,
    });
    expect(people[4]!.name).toBe('Mr. Patrick "Pat" O\'Leary, Jr.');
    expect(people[5]).toMatchObject({ name: 'Miss. Elizabeth "Betty" (Smith) Doe', age: 0.42 });
    expect(people[6]).toMatchObject({ sex: 'other', fare: 512.3292 });
  });

  it('rejects a header missing a column, naming it', () => {
    expect(() => parsePassengerCsv('Survived,Pclass\n1,2\n')).toThrow(/"Name": missing/);
  });

  it.each([
    ['2,1,A,male,1,0,0,1', /line 2, column "Survived"/],
    ['1,4,A,male,1,0,0,1', /column "Pclass": must be 1, 2 or 3/],
    ['1,1,A,robot,1,0,0,1', /column "Sex"/],
    ['1,1,A,male,,0,0,1', /column "Age"/],
    ['1,1,A,male,1,0.5,0,1', /column "Siblings\/Spouses Aboard": "0.5" is not an integer/],
    ['1,1,A,male,1,0,0,-3', /column "Fare"/],
    ['1,1,,male,1,0,0,1', /column "Name"/],
  ])('rejects the malformed row %s', (row, problem) => {
    expect(() => parsePassengerCsv(`${header}\n${row}\n`)).toThrow(problem);
  });
});
