-- The passengers. `uuid` is the public identity; `position` keeps insertion (CSV) order for
-- stable listing and paging; `version` feeds the per-person ETag and bumps on every update.
CREATE TABLE people (
  uuid uuid PRIMARY KEY,
  position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  version integer NOT NULL DEFAULT 1,
  survived boolean NOT NULL,
  passenger_class smallint NOT NULL CHECK (passenger_class BETWEEN 1 AND 3),
  name varchar(255) NOT NULL CHECK (char_length(name) >= 1),
  sex text NOT NULL CHECK (sex IN ('male', 'female', 'other')),
  age double precision NOT NULL CHECK (age >= 0),
  siblings_or_spouses_aboard integer NOT NULL CHECK (siblings_or_spouses_aboard >= 0),
  parents_or_children_aboard integer NOT NULL CHECK (parents_or_children_aboard >= 0),
  fare double precision NOT NULL CHECK (fare >= 0)
);
