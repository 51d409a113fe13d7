-- Every certificate issued for a credential. A renewal issues a new certificate for the same key;
-- the earlier ones stay known to the OCSP responder until they expire and are revoked with the
-- credential.
CREATE TABLE credential_certificates (
  serial        VARCHAR(64) PRIMARY KEY,
  credential_id VARCHAR(64) NOT NULL REFERENCES credentials (id),
  certificate   BYTEA       NOT NULL,
  issued_at     BIGINT      NOT NULL
);
CREATE INDEX credential_certificates_credential ON credential_certificates (credential_id);

INSERT INTO credential_certificates (serial, credential_id, certificate, issued_at)
  SELECT serial, id, certificate, created_at FROM credentials;
