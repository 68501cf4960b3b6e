import { Type, type Static } from 'typebox';

// One definition drives request validation, response serialization, the OpenAPI document and the
// TypeScript types. The examples (the data set's first passenger) fill "Try it out" bodies. PostgreSQL's integer is 32-bit: larger counts are refused here rather than
// failing in SQL.
const count = (description: string, example: number) =>
  Type.Integer({ minimum: 0, maximum: 2_147_483_647, description, examples: [example] });

/** A passenger as a client writes it (camelCase, as in the original swagger). */
export const PersonData = Type.Object(
  {
    survived: Type.Boolean({ description: 'Whether the passenger survived', examples: [false] }),
    passengerClass: Type.Integer({
      minimum: 1,
      maximum: 3,
      description: 'Ticket class: 1, 2 or 3',
      examples: [3],
    }),
    name: Type.String({ minLength: 1, maxLength: 255, examples: ['Mr. Owen Harris Braund'] }),
    sex: Type.Unsafe<'male' | 'female' | 'other'>({
      type: 'string',
      enum: ['male', 'female', 'other'],
      examples: ['male'],
    }),
    age: Type.Number({
      minimum: 0,
      maximum: 200,
      description:
        'Age in years. Deviation from the original swagger, which says integer: a number, because ' +
        'the data set holds fractional ages for infants (e.g. 0.42). Whole ages stay integers.',
      examples: [22],
    }),
    siblingsOrSpousesAboard: count('Siblings or spouses aboard', 1),
    parentsOrChildrenAboard: count('Parents or children aboard', 0),
    fare: Type.Number({
      minimum: 0,
      maximum: 1_000_000,
      description: 'Fare paid',
      examples: [7.25],
    }),
  },
  { additionalProperties: false },
);
export type PersonData = Static<typeof PersonData>;

/** A passenger as the API answers it: its data and the uuid the service gave it. */
export const Person = Type.Object(
  {
    uuid: Type.String({ format: 'uuid' }),
    ...PersonData.properties,
  },
  { additionalProperties: false },
);
export type Person = Static<typeof Person>;

/** A person as stored: the version feeds its ETag and never leaves the service in a body. */
export const StoredPerson = Type.Object({
  ...Person.properties,
  version: Type.Integer({ minimum: 1 }),
});
export type StoredPerson = Static<typeof StoredPerson>;

export const PersonParams = Type.Object(
  { uuid: Type.String({ format: 'uuid', description: 'The person’s uuid' }) },
  { additionalProperties: false },
);
export type PersonParams = Static<typeof PersonParams>;
