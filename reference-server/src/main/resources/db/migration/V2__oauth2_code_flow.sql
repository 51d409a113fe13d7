-- OAuth2 authorization code flow with PKCE: the pending request behind the login page, and the
-- single-use codes. Handles and codes are stored as SHA-256 hashes; a credential-scope code
-- carries its SAD sealed under a key derived from the code itself.

CREATE TABLE oauth_requests (
  handle_hash    BYTEA         PRIMARY KEY,
  client_id      VARCHAR(64)   NOT NULL REFERENCES clients (id),
  redirect_uri   VARCHAR(2000) NOT NULL,
  scope          VARCHAR(16)   NOT NULL,
  state          VARCHAR(1000),
  code_challenge VARCHAR(128)  NOT NULL,
  credential_id  VARCHAR(64),
  hash_algo      VARCHAR(16),
  digests        VARCHAR(16000),
  description    VARCHAR(500),
  expires_at     BIGINT        NOT NULL
);

CREATE TABLE auth_codes (
  code_hash      BYTEA         PRIMARY KEY,
  client_id      VARCHAR(64)   NOT NULL REFERENCES clients (id),
  redirect_uri   VARCHAR(2000) NOT NULL,
  code_challenge VARCHAR(128)  NOT NULL,
  scope          VARCHAR(16)   NOT NULL,
  user_id        VARCHAR(64)   NOT NULL REFERENCES users (id),
  credential_id  VARCHAR(64),
  sealed_sad     BYTEA,
  expires_at     BIGINT        NOT NULL
);
