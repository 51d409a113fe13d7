-- Master key rotation. Every value the master key seals records the generation that sealed it,
-- so a rotation can re-wrap what is old and tell when an old generation seals nothing more.
--
-- For password verifiers and software-vault keys, 0 is the format written before rotation
-- existed (generation 1's key mixed into one derivation with the password): such a value moves to
-- the current generation at its owner's next sign-in. Everything else sealed before rotation
-- used generation 1's key as it is. NULL: not sealed by the master key (a key inside a PKCS#11
-- token, an archived CA entry without its key).
ALTER TABLE users ADD COLUMN pwd_master_gen INT NOT NULL DEFAULT 0;
-- Covers totp_seed and totp_pending together: whoever writes one writes both.
ALTER TABLE users ADD COLUMN totp_master_gen INT NOT NULL DEFAULT 1;
ALTER TABLE credentials ADD COLUMN master_gen INT DEFAULT 0;
ALTER TABLE ca_keys ADD COLUMN master_gen INT DEFAULT 1;
UPDATE ca_keys SET master_gen = NULL WHERE name LIKE '%@%';
ALTER TABLE sads ADD COLUMN master_gen INT NOT NULL DEFAULT 1;
ALTER TABLE sessions ADD COLUMN master_gen INT NOT NULL DEFAULT 1;

-- The generations the cluster knows. state: 'staged' (in the key files, sealing nothing yet),
-- 'active' (the highest active one seals new values; older active ones still open what they
-- sealed), 'retired' (seals nothing, removed from the files). check_value is a fingerprint, so a
-- node whose file holds another key under the same number refuses to start.
CREATE TABLE master_keys (
  generation  INT         PRIMARY KEY,
  check_value BYTEA       NOT NULL,
  state       VARCHAR(16) NOT NULL,
  created_at  BIGINT      NOT NULL,
  changed_at  BIGINT      NOT NULL
);

-- Each node reports which generations its file holds, every few seconds: a generation is
-- activated only when every live node holds it.
CREATE TABLE master_key_nodes (
  node_id     VARCHAR(64)  PRIMARY KEY,
  description VARCHAR(300) NOT NULL,
  generations VARCHAR(200) NOT NULL,
  seen_at     BIGINT       NOT NULL
);

-- Server-wide secrets that must outlive a master key generation (the OpenID Connect pairwise
-- subject key: subjects must not change when the master key does), sealed under the master key.
CREATE TABLE server_secrets (
  name       VARCHAR(64) PRIMARY KEY,
  sealed     BYTEA       NOT NULL,
  master_gen INT         NOT NULL
);
