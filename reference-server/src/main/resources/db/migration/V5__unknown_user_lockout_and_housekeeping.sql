-- Failed logins for user IDs that do not exist: counted like real ones, so a lock does not reveal
-- which accounts exist. Keyed by the SHA-256 of the ID.
CREATE TABLE unknown_login_failures (
  id_hash      BYTEA  PRIMARY KEY,
  failures     INT    NOT NULL,
  locked_until BIGINT NOT NULL
);
