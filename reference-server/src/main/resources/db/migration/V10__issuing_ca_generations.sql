-- Renewal of the issuing CA: each certificate records the issuing CA generation that issued it
-- (that CA certificate's serial, hex), so each generation's CRL lists only its own certificates
-- and its OCSP answers only for them. Rows from before renewal existed are filled in at start
-- with the only issuing CA there was.
ALTER TABLE credential_certificates ADD COLUMN issuer VARCHAR(64);
CREATE INDEX credential_certificates_issuer ON credential_certificates (issuer);
