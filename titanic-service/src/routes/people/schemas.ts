import { Type, type Static } from 'typebox';

// One definition drives request validation, response serialization and the OpenAPI document.
// PostgreSQL's integer is 32-bit: larger counts are refused here rather than failing in SQL.
const count = (description: string) =>
  Type.Integer({ minimum: 0, maximum: 2_147_483_647, description });

export const PersonData = Type.Object(
  {
    survived: Type.Boolean({ description: 'Whether the passenger survived' }),
    passengerClass: Type.Integer({
      minimum: 1,
      maximum: 3,
      description: 'Ticket class: 1, 2 or 3',
    }),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    sex: Type.Unsafe<'male' | 'female' | 'other'>({
      type: 'string',
      enum: ['male', 'female', 'other'],
    }),
    age: Type.Number({
      minimum: 0,
      maximum: 200,
      description:
        'Age in years. Deviation from the original swagger, which says integer: a number, because ' +
        'the data set holds fractional ages for infants (e.g. 0.42). Whole ages stay integers.',
    }),
    siblingsOrSpousesAboard: count('Siblings or spouses aboard'),
    parentsOrChildrenAboard: count('Parents or children aboard'),
    fare: Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Fare paid' }),
  },
  { additionalProperties: false },
);
export type PersonData = Static<typeof PersonData>;

export const Person = Type.Object(
  {
    uuid: Type.String({ format: 'uuid' }),
    ...PersonData.properties,
  },
  { additionalProperties: false },
);
export type Person = Static<typeof Person>;

export const PersonParams = Type.Object(
  { uuid: Type.String({ format: 'uuid', description: 'The person’s uuid' }) },
  { additionalProperties: false },
);
export type PersonParams = Static<typeof PersonParams>;

export const PeopleQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100_000,
        description: 'At most this many (default: all)',
      }),
    ),
    offset: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Skip this many, in insertion order (default: 0)' }),
    ),
  },
  // Other query parameters (cache busters, tracking) are ignored, as the original API did.
);
export type PeopleQuery = Static<typeof PeopleQuery>;

export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  errors: Type.Optional(
    Type.Array(
      Type.Object({
        field: Type.String({ description: 'The offending field, e.g. passengerClass' }),
        problem: Type.String({ description: 'What is wrong with it' }),
      }),
    ),
  ),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

/** Registered with `addSchema`, so routes `$ref` them and the OpenAPI document names them. */
export const sharedSchemas = [
  { $id: 'PersonData', ...PersonData },
  { $id: 'Person', ...Person },
  { $id: 'ErrorResponse', ...ErrorResponse },
];

export const personRef = Type.Unsafe<Person>({ $ref: 'Person#' });
export const personDataRef = Type.Unsafe<PersonData>({ $ref: 'PersonData#' });
export const errorRef = Type.Unsafe<ErrorResponse>({ $ref: 'ErrorResponse#' });
