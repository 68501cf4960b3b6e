import { Type, type Static } from 'typebox';

/** The additions to GET /people that keep the original default (everyone, in insertion order). */
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
