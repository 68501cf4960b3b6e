-- A change counter that lets each replica validate its cached list against the database on every
-- request: every statement that writes `people` bumps it inside the writing transaction, so the sum
-- seen by a later snapshot differs exactly when a write has committed since.
-- It is spread over 64 slots (one per backend, by pid) so concurrent writers do not queue on one
-- row lock until commit; readers sum the slots, which only ever grows.
CREATE TABLE people_change_counter (
  slot smallint PRIMARY KEY,
  changes bigint NOT NULL DEFAULT 0
);

INSERT INTO people_change_counter (slot) SELECT generate_series(0, 63);

CREATE FUNCTION bump_people_change_counter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE people_change_counter SET changes = changes + 1 WHERE slot = pg_backend_pid() % 64;
  RETURN NULL;
END;
$$;

CREATE TRIGGER people_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people
  FOR EACH STATEMENT EXECUTE FUNCTION bump_people_change_counter();
