import { Type } from 'typebox';
import { ErrorResponse } from './error-response.js';
import { Person, PersonData } from './person.js';

/** Registered with `addSchema`, so routes `$ref` them and the OpenAPI document names them. */
export const sharedSchemas = [
  { $id: 'PersonData', ...PersonData },
  { $id: 'Person', ...Person },
  { $id: 'ErrorResponse', ...ErrorResponse },
];

export const personRef = Type.Unsafe<Person>({ $ref: 'Person#' });
export const personDataRef = Type.Unsafe<PersonData>({ $ref: 'PersonData#' });
export const errorRef = Type.Unsafe<ErrorResponse>({ $ref: 'ErrorResponse#' });
