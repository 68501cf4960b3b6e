/** A passenger as the API speaks of it (camelCase, as in the original swagger). */
export interface PersonData {
  survived: boolean;
  passengerClass: number;
  name: string;
  sex: 'male' | 'female' | 'other';
  age: number;
  siblingsOrSpousesAboard: number;
  parentsOrChildrenAboard: number;
  fare: number;
}

export interface Person extends PersonData {
  uuid: string;
}

/** A stored person with the version that feeds its ETag. */
export interface StoredPerson extends Person {
  version: number;
}
