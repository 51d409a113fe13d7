-- OpenID Connect: what a client may do (log users in, have them sign, or both), the OIDC
-- parameters of a pending request and of its code, and the single sign-on session.

ALTER TABLE clients ADD COLUMN uses VARCHAR(32) NOT NULL DEFAULT 'login signing';

ALTER TABLE oauth_requests ALTER COLUMN scope SET DATA TYPE VARCHAR(64);
ALTER TABLE oauth_requests ADD COLUMN nonce VARCHAR(512);
ALTER TABLE oauth_requests ADD COLUMN prompt VARCHAR(32);
ALTER TABLE oauth_requests ADD COLUMN max_age BIGINT;
-- The documents' labels (RAR documentDigests[].label), one per line, for the consent page.
ALTER TABLE oauth_requests ADD COLUMN labels VARCHAR(24000);
-- The hash of the browser's binding cookie: a login form counts only from the browser that opened it.
ALTER TABLE oauth_requests ADD COLUMN browser_hash BYTEA;

ALTER TABLE auth_codes ALTER COLUMN scope SET DATA TYPE VARCHAR(64);
ALTER TABLE auth_codes ADD COLUMN nonce VARCHAR(512);
ALTER TABLE auth_codes ADD COLUMN auth_time BIGINT;
ALTER TABLE auth_codes ADD COLUMN session_id VARCHAR(64);

ALTER TABLE access_tokens ALTER COLUMN scope SET DATA TYPE VARCHAR(64);

-- The account page: a new authenticator key waits here until its first code confirms it; the
-- activity list reads the audit trail by subject.
ALTER TABLE users ADD COLUMN totp_pending BYTEA;
CREATE INDEX audit_subject ON audit (subject, seq);

-- A user's session with the signing service, behind a cookie whose value is stored as a hash.
-- The password's Argon2 output is escrowed under a key derived from that value (and the master
-- key), so that a signature asked for by the same client soon after needs only a fresh TOTP code.
-- client_id is the application the user last logged in through (none for the account page).
CREATE TABLE sessions (
  id           VARCHAR(64)  PRIMARY KEY,
  token_hash   BYTEA        NOT NULL UNIQUE,
  user_id      VARCHAR(64)  NOT NULL REFERENCES users (id),
  client_id    VARCHAR(64)  REFERENCES clients (id),
  auth_time    BIGINT       NOT NULL,
  last_seen    BIGINT       NOT NULL,
  expires_at   BIGINT       NOT NULL,
  escrow       BYTEA
);
