-- A renewed TSA key keeps its predecessor's certificate under 'tsa@<serial>', so the OCSP
-- responder goes on answering for it until it expires.
ALTER TABLE ca_keys ALTER COLUMN name SET DATA TYPE VARCHAR(80);
