-- One schema for H2 (MODE=PostgreSQL) and PostgreSQL. Times are epoch milliseconds (BIGINT), so
-- both databases and every node agree without time-zone conversions. Secrets are never stored:
-- passwords as Argon2id verifiers, tokens/SADs/enrolment codes as SHA-256 hashes, keys and TOTP
-- seeds sealed (AES-256-GCM).

CREATE TABLE users (
  id              VARCHAR(64)  PRIMARY KEY,
  display_name    VARCHAR(200) NOT NULL,
  status          VARCHAR(16)  NOT NULL,
  auth_mode       VARCHAR(16)  NOT NULL,
  pwd_salt        BYTEA,
  pwd_argon       VARCHAR(64),
  pwd_verifier    BYTEA,
  totp_seed       BYTEA,
  failed_attempts INT          NOT NULL DEFAULT 0,
  locked_until    BIGINT       NOT NULL DEFAULT 0,
  created_at      BIGINT       NOT NULL
);

CREATE TABLE enrolment_codes (
  code_hash  BYTEA       PRIMARY KEY,
  user_id    VARCHAR(64) NOT NULL REFERENCES users (id),
  expires_at BIGINT      NOT NULL,
  used_at    BIGINT
);

-- A TOTP code is accepted once per (user, time step), across restarts and nodes.
CREATE TABLE totp_used_steps (
  user_id VARCHAR(64) NOT NULL REFERENCES users (id),
  step    BIGINT      NOT NULL,
  PRIMARY KEY (user_id, step)
);

CREATE TABLE credentials (
  id          VARCHAR(64)  PRIMARY KEY,
  user_id     VARCHAR(64)  NOT NULL REFERENCES users (id),
  key_spec    VARCHAR(16)  NOT NULL,
  public_key  BYTEA        NOT NULL,
  sealed_key  BYTEA        NOT NULL,
  certificate BYTEA        NOT NULL,
  serial      VARCHAR(64)  NOT NULL,
  status      VARCHAR(16)  NOT NULL,
  created_at  BIGINT       NOT NULL
);
CREATE INDEX credentials_user ON credentials (user_id);

CREATE TABLE clients (
  id            VARCHAR(64)   PRIMARY KEY,
  name          VARCHAR(200)  NOT NULL,
  secret_hash   BYTEA         NOT NULL,
  redirect_uris VARCHAR(4000) NOT NULL,
  created_at    BIGINT        NOT NULL
);

CREATE TABLE access_tokens (
  token_hash    BYTEA       PRIMARY KEY,
  client_id     VARCHAR(64) NOT NULL REFERENCES clients (id),
  user_id       VARCHAR(64),
  scope         VARCHAR(16) NOT NULL,
  expires_at    BIGINT      NOT NULL
);

-- Signature activation data: bound to user, credential, client, hash algorithm and digests.
CREATE TABLE sads (
  id            VARCHAR(64)  PRIMARY KEY,
  token_hash    BYTEA        NOT NULL UNIQUE,
  user_id       VARCHAR(64)  NOT NULL REFERENCES users (id),
  credential_id VARCHAR(64)  NOT NULL REFERENCES credentials (id),
  client_id     VARCHAR(64)  NOT NULL,
  hash_algo     VARCHAR(64)  NOT NULL,
  remaining     INT          NOT NULL,
  escrow        BYTEA        NOT NULL,
  expires_at    BIGINT       NOT NULL
);

CREATE TABLE sad_digests (
  sad_id   VARCHAR(64) NOT NULL REFERENCES sads (id),
  idx      INT         NOT NULL,
  digest   BYTEA       NOT NULL,
  consumed BOOLEAN     NOT NULL DEFAULT FALSE,
  PRIMARY KEY (sad_id, idx)
);

CREATE TABLE audit (
  seq       BIGINT        PRIMARY KEY,
  at        BIGINT        NOT NULL,
  event     VARCHAR(64)   NOT NULL,
  actor     VARCHAR(200)  NOT NULL,
  subject   VARCHAR(200)  NOT NULL,
  details   VARCHAR(8000) NOT NULL,
  prev_hash BYTEA         NOT NULL,
  hash      BYTEA         NOT NULL
);

CREATE TABLE sequences (
  name       VARCHAR(64) PRIMARY KEY,
  next_value BIGINT      NOT NULL
);

CREATE TABLE ca_keys (
  name        VARCHAR(32) PRIMARY KEY,
  certificate BYTEA       NOT NULL,
  sealed_key  BYTEA       NOT NULL
);

CREATE TABLE revocations (
  serial     VARCHAR(64) PRIMARY KEY,
  revoked_at BIGINT      NOT NULL,
  reason     INT         NOT NULL
);

INSERT INTO sequences (name, next_value) VALUES ('audit', 1);
INSERT INTO sequences (name, next_value) VALUES ('certificate-serial', 1000);
INSERT INTO sequences (name, next_value) VALUES ('tsa-serial', 1);
