-- Signatures of up to 100 SHA-512 digests do not fit 8000 characters of audit details.
ALTER TABLE audit ALTER COLUMN details TYPE TEXT;
