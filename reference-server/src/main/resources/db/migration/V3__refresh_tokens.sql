-- Refresh tokens (service scope only), rotated on use; access tokens remember the refresh token
-- they came from, so revoking it revokes them too (RFC 7009).
CREATE TABLE refresh_tokens (
  token_hash BYTEA       PRIMARY KEY,
  client_id  VARCHAR(64) NOT NULL REFERENCES clients (id),
  user_id    VARCHAR(64) NOT NULL REFERENCES users (id),
  expires_at BIGINT      NOT NULL
);

ALTER TABLE access_tokens ADD COLUMN refresh_hash BYTEA;
