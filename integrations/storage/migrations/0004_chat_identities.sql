-- One identity per WhatsApp customer (IdentityStore, docs/gateway.md): the customer id everything is filed under and
-- the forms WhatsApp names the customer by (E.164 phone, @lid), each form on one identity of a company at most.
-- Linking is done by the store in two writes (the form given up first, then the identity that keeps it); one gateway
-- links a company's identities at a time (its lease). Idempotent like 0001.
CREATE TABLE IF NOT EXISTS chat_identities (
    company_id text NOT NULL,
    customer_id text NOT NULL,
    phone text,
    lid text,
    address text,
    opted_in_at timestamptz,
    first_seen timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, customer_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS chat_identities_phone ON chat_identities (company_id, phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS chat_identities_lid ON chat_identities (company_id, lid) WHERE lid IS NOT NULL;
ALTER TABLE chat_identities ENABLE ROW LEVEL SECURITY;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON chat_identities TO service_role;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN
        REVOKE ALL ON chat_identities FROM anon;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
        REVOKE ALL ON chat_identities FROM authenticated;
    END IF;
END;
$$;
