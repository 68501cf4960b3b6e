import { Type, type Static } from 'typebox';

/** Every failure's body: the status, and for bad input each offending field with its problem. */
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
export type FieldProblem = NonNullable<ErrorResponse['errors']>[number];
