import { parse } from 'csv-parse/sync';
import type { PersonData } from '../schemas/person.js';

/** The header of the original data set, in order. */
export const passengerCsvColumns = [
  'Survived',
  'Pclass',
  'Name',
  'Sex',
  'Age',
  'Siblings/Spouses Aboard',
  'Parents/Children Aboard',
  'Fare',
] as const;

type Column = (typeof passengerCsvColumns)[number];

function fail(line: number, column: string, problem: string): never {
  throw new Error(`Passenger CSV line ${line}, column "${column}": ${problem}`);
}

function readNumber(record: Record<Column, string>, column: Column, line: number): number {
  const raw = record[column].trim();
  // Number('') is 0, and Number(' 1e3') parses; the data set only holds plain decimals.
  if (!/^\d+(\.\d+)?$/.test(raw)) fail(line, column, `"${raw}" is not a non-negative number`);
  return Number(raw);
}

function readInteger(record: Record<Column, string>, column: Column, line: number): number {
  const value = readNumber(record, column, line);
  if (!Number.isInteger(value)) fail(line, column, `"${record[column]}" is not an integer`);
  return value;
}

/** Parses the Titanic CSV (RFC 4180 quoting) into API records, rejecting any malformed row. */
export function parsePassengerCsv(text: string): PersonData[] {
  const records = parse(text, {
    columns: (header: string[]) => {
      const names = header.map((name) => name.trim());
      for (const column of passengerCsvColumns) {
        if (!names.includes(column)) fail(1, column, 'missing from the header');
      }
      return names;
    },
    skip_empty_lines: true,
    bom: true,
  }) as Record<Column, string>[];

  return records.map((record, index) => {
    const line = index + 2;
    const survived = record.Survived.trim();
    if (survived !== '0' && survived !== '1') fail(line, 'Survived', `"${survived}" is not 0 or 1`);
    const passengerClass = readInteger(record, 'Pclass', line);
    if (passengerClass < 1 || passengerClass > 3) fail(line, 'Pclass', 'must be 1, 2 or 3');
    const sex = record.Sex.trim();
    if (sex !== 'male' && sex !== 'female' && sex !== 'other') {
      fail(line, 'Sex', `"${sex}" is not male, female or other`);
    }
    const name = record.Name;
    if (name.length < 1 || name.length > 255) fail(line, 'Name', 'must be 1-255 characters');
    return {
      survived: survived === '1',
      passengerClass,
      name,
      sex,
      age: readNumber(record, 'Age', line),
      siblingsOrSpousesAboard: readInteger(record, 'Siblings/Spouses Aboard', line),
      parentsOrChildrenAboard: readInteger(record, 'Parents/Children Aboard', line),
      fare: readNumber(record, 'Fare', line),
    };
  });
}
