-- booking-bot store schema for PostgreSQL (Supabase).
--
-- Applied in order by `booking-bot migrate` (integrations/storage/migrate.py), one transaction per file, and usable
-- as-is by the Supabase CLI (`supabase/migrations/<version>_<name>.sql`). Every statement is idempotent, so applying
-- a file that another tool already applied changes nothing.
--
-- Every table is keyed by company_id and every unique constraint starts with it: nothing of one company collides with
-- or is visible through another's ids. All times are timestamptz (UTC on the wire).

CREATE TABLE IF NOT EXISTS companies (
    id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.-]{1,64}$'),
    data jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS customers (
    company_id text NOT NULL,
    id text NOT NULL,
    phone text,
    name text,
    language text,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, id)
);

-- The inbox. `seq` is arrival order; (company_id, message_id) dedupes redeliveries.
CREATE TABLE IF NOT EXISTS inbound (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id text NOT NULL,
    message_id text NOT NULL,
    chat_id text NOT NULL,
    phone text,
    sender_name text,
    text text NOT NULL,
    language text,
    received_at timestamptz NOT NULL,
    from_me boolean NOT NULL DEFAULT false,
    done boolean NOT NULL DEFAULT false,
    recorded_at timestamptz NOT NULL,
    CONSTRAINT inbound_message_unique UNIQUE (company_id, message_id)
);
CREATE INDEX IF NOT EXISTS inbound_pending ON inbound (company_id, chat_id, seq) WHERE NOT done;

-- The outbox. A reply is recorded under its idempotency key before it is sent; sent_at marks delivery.
CREATE TABLE IF NOT EXISTS outbound (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id text NOT NULL,
    chat_id text NOT NULL,
    text text NOT NULL,
    reply_to text,
    idempotency_key text NOT NULL,
    recorded_at timestamptz NOT NULL,
    sent_at timestamptz,
    CONSTRAINT outbound_idempotency_unique UNIQUE (company_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS outbound_reply_to ON outbound (company_id, reply_to, seq);

CREATE TABLE IF NOT EXISTS bookings (
    company_id text NOT NULL,
    id text NOT NULL,
    customer_id text NOT NULL,
    service_id text NOT NULL,
    staff_id text NOT NULL,
    start_at timestamptz NOT NULL,
    end_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('booked', 'cancelled')),
    backend_id text NOT NULL,
    PRIMARY KEY (company_id, id),
    CHECK (end_at > start_at)
);
CREATE INDEX IF NOT EXISTS bookings_start ON bookings (company_id, start_at);

-- Reminders: one row per booking and due time (`key` = reminder:{company}:{booking}:{due}).
-- planned → claimed (one scheduler took it; see claim_due_reminders) → sent | skipped; planned/claimed → cancelled
-- when the booking moves or is cancelled.
CREATE TABLE IF NOT EXISTS reminders (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id text NOT NULL,
    key text NOT NULL,
    booking_id text NOT NULL,
    customer_id text NOT NULL,
    due_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('planned', 'claimed', 'sent', 'cancelled', 'skipped')),
    claimed_by text,
    claimed_at timestamptz,
    finished_at timestamptz,
    CONSTRAINT reminders_key_unique UNIQUE (company_id, key)
);
CREATE INDEX IF NOT EXISTS reminders_booking ON reminders (company_id, booking_id, due_at);
CREATE INDEX IF NOT EXISTS reminders_due ON reminders (due_at, seq) WHERE status = 'planned';
CREATE INDEX IF NOT EXISTS reminders_claimed ON reminders (claimed_at) WHERE status = 'claimed';

-- A booking about to be made in an external backend, recorded before the request (see BookingIntent).
CREATE TABLE IF NOT EXISTS booking_intents (
    company_id text NOT NULL,
    key text NOT NULL,
    api_id text NOT NULL,
    customer_id text NOT NULL,
    service_id text NOT NULL,
    staff_id text NOT NULL,
    start_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'failed')),
    backend_id text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT booking_intents_key_unique PRIMARY KEY (company_id, key)
);

-- Row-level security: on, with no policies, so Supabase's `anon` and `authenticated` API roles see nothing. The bot
-- uses the service-role key; Supabase's `service_role` has BYPASSRLS, so RLS is off for it.
ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE inbound ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbound ENABLE ROW LEVEL SECURITY;
ALTER TABLE bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_intents ENABLE ROW LEVEL SECURITY;

-- Upsert-if-absent for booking intents: insert unless (company_id, key) exists; return the stored row either way
-- (the earlier one on a retry). One statement-level race is settled by the unique key: the loser's INSERT does
-- nothing and its SELECT (a new snapshot) sees the winner's committed row.
CREATE OR REPLACE FUNCTION begin_booking_intent(
    p_company_id text,
    p_key text,
    p_api_id text,
    p_customer_id text,
    p_service_id text,
    p_staff_id text,
    p_start_at timestamptz,
    p_status text,
    p_backend_id text,
    p_now timestamptz
) RETURNS SETOF booking_intents
LANGUAGE plpgsql
SET search_path = public
AS $$
BEGIN
    INSERT INTO booking_intents (company_id, key, api_id, customer_id, service_id, staff_id, start_at, status,
                                 backend_id, created_at, updated_at)
    VALUES (p_company_id, p_key, p_api_id, p_customer_id, p_service_id, p_staff_id, p_start_at, p_status,
            p_backend_id, p_now, p_now)
    ON CONFLICT ON CONSTRAINT booking_intents_key_unique DO NOTHING;
    RETURN QUERY SELECT * FROM booking_intents WHERE company_id = p_company_id AND key = p_key;
END;
$$;

-- Plan a booking's reminders at the given keys/due times; planned or claimed ones not among them are cancelled.
-- A planned or claimed reminder stays as it is, a cancelled one (the booking moved away and back) is planned again
-- with its claim cleared, a sent or skipped one is never touched. Returns the booking's reminders.
CREATE OR REPLACE FUNCTION replace_reminders(
    p_company_id text,
    p_booking_id text,
    p_customer_id text,
    p_keys text[],
    p_due timestamptz[]
) RETURNS SETOF reminders
LANGUAGE plpgsql
SET search_path = public
AS $$
BEGIN
    IF coalesce(array_length(p_keys, 1), 0) <> coalesce(array_length(p_due, 1), 0) THEN
        RAISE EXCEPTION 'p_keys and p_due differ in length' USING ERRCODE = '22023';
    END IF;
    INSERT INTO reminders AS r (company_id, key, booking_id, customer_id, due_at, status)
    SELECT p_company_id, wanted.key, p_booking_id, p_customer_id, wanted.due_at, 'planned'
    FROM unnest(p_keys, p_due) AS wanted(key, due_at)
    ON CONFLICT ON CONSTRAINT reminders_key_unique DO UPDATE
        SET status = 'planned', claimed_by = NULL, claimed_at = NULL
        WHERE r.status = 'cancelled';
    UPDATE reminders
    SET status = 'cancelled'
    WHERE company_id = p_company_id AND booking_id = p_booking_id AND status IN ('planned', 'claimed')
      AND key <> ALL (coalesce(p_keys, '{}'));
    RETURN QUERY SELECT * FROM reminders
        WHERE company_id = p_company_id AND booking_id = p_booking_id ORDER BY due_at, seq;
END;
$$;

-- Hand up to p_limit reminders (all companies, earliest first) to one claimer: planned ones due by p_now, and
-- claimed ones whose claim is older than p_stale_after (their scheduler died before finishing them). Rows another
-- transaction is claiming right now are skipped (FOR UPDATE SKIP LOCKED), and a row claimed meanwhile no longer
-- matches when re-checked under its lock, so concurrent schedulers never get the same reminder.
CREATE OR REPLACE FUNCTION claim_due_reminders(
    p_now timestamptz,
    p_limit integer,
    p_claimer text,
    p_stale_after interval
) RETURNS SETOF reminders
LANGUAGE sql
SET search_path = public
AS $$
    WITH due AS (
        SELECT seq FROM reminders
        WHERE (status = 'planned' AND due_at <= p_now)
           OR (status = 'claimed' AND claimed_at < p_now - p_stale_after)
        ORDER BY due_at, seq
        LIMIT greatest(p_limit, 0)
        FOR UPDATE SKIP LOCKED
    )
    UPDATE reminders AS r
    SET status = 'claimed', claimed_by = p_claimer, claimed_at = p_now
    FROM due
    WHERE r.seq = due.seq
    RETURNING r.*;
$$;

-- The API roles exist on Supabase only; on a plain PostgreSQL these grants are skipped.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON companies, customers, inbound, outbound, bookings, reminders,
            booking_intents TO service_role;
        GRANT EXECUTE ON FUNCTION begin_booking_intent(text, text, text, text, text, text, timestamptz, text, text,
            timestamptz), replace_reminders(text, text, text, text[], timestamptz[]),
            claim_due_reminders(timestamptz, integer, text, interval) TO service_role;
    END IF;
    -- Supabase's default privileges grant everything in `public` to its API roles; take it back from the two
    -- that browsers hold keys for (RLS already hides every row from them).
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN
        REVOKE ALL ON companies, customers, inbound, outbound, bookings, reminders, booking_intents FROM anon;
        REVOKE EXECUTE ON FUNCTION begin_booking_intent(text, text, text, text, text, text, timestamptz, text, text,
            timestamptz), replace_reminders(text, text, text, text[], timestamptz[]),
            claim_due_reminders(timestamptz, integer, text, interval) FROM anon;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
        REVOKE ALL ON companies, customers, inbound, outbound, bookings, reminders, booking_intents
            FROM authenticated;
        REVOKE EXECUTE ON FUNCTION begin_booking_intent(text, text, text, text, text, text, timestamptz, text, text,
            timestamptz), replace_reminders(text, text, text, text[], timestamptz[]),
            claim_due_reminders(timestamptz, integer, text, interval) FROM authenticated;
    END IF;
END;
$$;
-- Functions are executable by PUBLIC by default; only the service role may run these.
REVOKE EXECUTE ON FUNCTION begin_booking_intent(text, text, text, text, text, text, timestamptz, text, text,
    timestamptz), replace_reminders(text, text, text, text[], timestamptz[]),
    claim_due_reminders(timestamptz, integer, text, interval) FROM PUBLIC;
