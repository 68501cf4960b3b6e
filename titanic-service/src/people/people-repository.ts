import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { PersonData, StoredPerson } from '../schemas/person.js';

// Columns under the API's names. Every statement is named, so each connection parses it once.
const personColumns = `uuid, version, survived, passenger_class AS "passengerClass", name, sex, age,
  siblings_or_spouses_aboard AS "siblingsOrSpousesAboard",
  parents_or_children_aboard AS "parentsOrChildrenAboard", fare`;

// Serializes seeding across replicas; any constant distinct from the migration lock.
const seedLockKey = 7_413_620_102;

function dataValues(person: PersonData): unknown[] {
  return [
    person.survived,
    person.passengerClass,
    person.name,
    person.sex,
    person.age,
    person.siblingsOrSpousesAboard,
    person.parentsOrChildrenAboard,
    person.fare,
  ];
}

// Many rows in one parameterized statement: parallel arrays, inserted in the order given.
const insertFromArrays = `INSERT INTO people (uuid, survived, passenger_class, name, sex, age,
    siblings_or_spouses_aboard, parents_or_children_aboard, fare)
  SELECT uuid, survived, passenger_class, name, sex, age, siblings, parents, fare
  FROM unnest($1::uuid[], $2::boolean[], $3::smallint[], $4::varchar[], $5::text[],
    $6::double precision[], $7::integer[], $8::integer[], $9::double precision[])
    WITH ORDINALITY AS given(uuid, survived, passenger_class, name, sex, age, siblings, parents,
      fare, ordinal)
  ORDER BY ordinal`;

function arrayParameters(uuids: string[], people: PersonData[]): unknown[] {
  const column = <T>(pick: (person: PersonData) => T): T[] => people.map(pick);
  return [
    uuids,
    column((person) => person.survived),
    column((person) => person.passengerClass),
    column((person) => person.name),
    column((person) => person.sex),
    column((person) => person.age),
    column((person) => person.siblingsOrSpousesAboard),
    column((person) => person.parentsOrChildrenAboard),
    column((person) => person.fare),
  ];
}

export interface PeopleSnapshot {
  /** The change counter in the same snapshot as the rows. */
  changes: string;
  people: StoredPerson[];
}

/** All SQL about people; parameterized statements only. */
export class PeopleRepository {
  constructor(private readonly pool: pg.Pool) {}

  async find(uuid: string): Promise<StoredPerson | undefined> {
    const { rows } = await this.pool.query<StoredPerson>({
      name: 'titanic-people-find',
      text: `SELECT ${personColumns} FROM people WHERE uuid = $1`,
      values: [uuid],
    });
    return rows[0];
  }

  async create(person: PersonData): Promise<StoredPerson> {
    const { rows } = await this.pool.query<StoredPerson>({
      name: 'titanic-people-create',
      text: `INSERT INTO people (uuid, survived, passenger_class, name, sex, age,
               siblings_or_spouses_aboard, parents_or_children_aboard, fare)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             RETURNING ${personColumns}`,
      values: [randomUUID(), ...dataValues(person)],
    });
    return rows[0]!;
  }

  /** Inserts several people in one statement (one commit); the result is in the order given. */
  async createMany(people: PersonData[]): Promise<StoredPerson[]> {
    const uuids = people.map(() => randomUUID());
    const { rows } = await this.pool.query<StoredPerson>({
      name: 'titanic-people-create-many',
      text: `${insertFromArrays} RETURNING ${personColumns}`,
      values: arrayParameters(uuids, people),
    });
    const byUuid = new Map(rows.map((row) => [row.uuid, row]));
    return uuids.map((uuid) => byUuid.get(uuid)!);
  }

  async replace(uuid: string, person: PersonData): Promise<StoredPerson | undefined> {
    const { rows } = await this.pool.query<StoredPerson>({
      name: 'titanic-people-replace',
      text: `UPDATE people SET version = version + 1, survived = $2, passenger_class = $3, name = $4,
               sex = $5, age = $6, siblings_or_spouses_aboard = $7,
               parents_or_children_aboard = $8, fare = $9
             WHERE uuid = $1
             RETURNING ${personColumns}`,
      values: [uuid, ...dataValues(person)],
    });
    return rows[0];
  }

  async remove(uuid: string): Promise<boolean> {
    const result = await this.pool.query({
      name: 'titanic-people-remove',
      text: 'DELETE FROM people WHERE uuid = $1',
      values: [uuid],
    });
    return result.rowCount === 1;
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ count: number }>({
      name: 'titanic-people-count',
      text: 'SELECT count(*)::integer AS count FROM people',
    });
    return rows[0]!.count;
  }

  /** The change counter: it differs between two snapshots exactly when `people` changed. */
  async changes(): Promise<string> {
    const { rows } = await this.pool.query<{ changes: string }>({
      name: 'titanic-people-changes',
      text: 'SELECT sum(changes)::text AS changes FROM people_change_counter',
    });
    return rows[0]!.changes;
  }

  /** Every person in insertion order together with the change counter, from one snapshot. */
  async snapshot(): Promise<PeopleSnapshot> {
    const { rows } = await this.pool.query<StoredPerson & { changes: string }>({
      name: 'titanic-people-snapshot',
      text: `SELECT counter.changes, ${personColumns}
             FROM (SELECT sum(changes)::text AS changes FROM people_change_counter) AS counter
             LEFT JOIN people ON true
             ORDER BY people.position`,
    });
    const changes = rows[0]?.changes ?? '0';
    const people = rows
      .filter((row) => row.uuid !== null)
      .map(({ changes: _changes, ...person }) => person as StoredPerson);
    return { changes, people };
  }

  /**
   * Loads `people` into an empty table in one transaction. The transaction-scoped advisory lock
   * makes replicas that start together take turns, so only the first one seeds.
   */
  async seedIfEmpty(people: PersonData[]): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [seedLockKey]);
      const { rows } = await client.query<{ empty: boolean }>(
        'SELECT NOT EXISTS (SELECT 1 FROM people) AS empty',
      );
      if (!rows[0]!.empty) {
        await client.query('ROLLBACK');
        return 0;
      }
      await client.query(
        insertFromArrays,
        arrayParameters(
          people.map(() => randomUUID()),
          people,
        ),
      );
      await client.query('COMMIT');
      return people.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
