-- The waiting list, visits and follow-ups (WaitlistStore, docs/waitlist.md). Idempotent like 0001; every table keyed
-- by company_id. A freed time (waitlist_openings) is held by one offer at a time: claiming, holding and ending an
-- offer are SQL functions, each one statement-level atomic, so two schedulers never offer the same time at once.

-- A customer waiting for a time on one local day, within [window_start, window_end) (null: any time), with staff_id
-- (null: anyone). One row per customer, day and service; asking again keeps requested_at (the place in line).
CREATE TABLE IF NOT EXISTS wait_entries (
    company_id text NOT NULL,
    id text NOT NULL,
    customer_id text NOT NULL,
    service_id text NOT NULL,
    staff_id text,
    day date NOT NULL,
    window_start time,
    window_end time,
    requested_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('waiting', 'booked', 'cancelled', 'expired')),
    PRIMARY KEY (company_id, id)
);
CREATE INDEX IF NOT EXISTS wait_entries_day ON wait_entries (company_id, day, status);

-- A freed time: open → claimed (a scheduler offers it) → held (one offer) → open again (declined, expired) | filled;
-- closed when nobody it suits waits or the salon's system no longer has it free.
CREATE TABLE IF NOT EXISTS waitlist_openings (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id text NOT NULL,
    id text NOT NULL,
    booking_id text NOT NULL,
    service_id text NOT NULL,
    staff_id text NOT NULL,
    start_at timestamptz NOT NULL,
    end_at timestamptz NOT NULL,
    freed_by text NOT NULL CHECK (freed_by IN ('customer', 'salon', 'release')),
    freed_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'claimed', 'held', 'filled', 'closed')),
    offer_id text,
    not_before timestamptz,
    claimed_by text,
    claimed_at timestamptz,
    CONSTRAINT waitlist_openings_unique UNIQUE (company_id, id)
);
CREATE INDEX IF NOT EXISTS waitlist_openings_status ON waitlist_openings (status, not_before);

CREATE TABLE IF NOT EXISTS waitlist_offers (
    company_id text NOT NULL,
    id text NOT NULL,
    opening_id text NOT NULL,
    entry_id text NOT NULL,
    customer_id text NOT NULL,
    service_id text NOT NULL,
    staff_id text NOT NULL,
    start_at timestamptz NOT NULL,
    sent_at timestamptz NOT NULL,
    hold_until timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('holding', 'accepted', 'declined', 'expired')),
    PRIMARY KEY (company_id, id)
);
CREATE INDEX IF NOT EXISTS waitlist_offers_opening ON waitlist_offers (company_id, opening_id);
CREATE INDEX IF NOT EXISTS waitlist_offers_holding ON waitlist_offers (hold_until) WHERE status = 'holding';

-- How a visit went: marked by staff (the API) or read from the salon's system; staff's mark wins.
CREATE TABLE IF NOT EXISTS visits (
    company_id text NOT NULL,
    booking_id text NOT NULL,
    customer_id text NOT NULL,
    attendance text NOT NULL CHECK (attendance IN ('unknown', 'confirmed', 'attended', 'no_show')),
    source text NOT NULL CHECK (source IN ('staff', 'salon')),
    visit_start timestamptz NOT NULL,
    marked_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, booking_id)
);
CREATE INDEX IF NOT EXISTS visits_customer ON visits (company_id, customer_id, attendance);

-- Proactive work planned around visits (confirmation requests, releases, re-invites) and the owner's digest:
-- planned → claimed (see claim_due_followups) → sent | skipped, like reminders.
CREATE TABLE IF NOT EXISTS followups (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id text NOT NULL,
    key text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('confirm', 'release', 'reinvite', 'digest')),
    due_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('planned', 'claimed', 'sent', 'skipped')),
    booking_id text,
    customer_id text,
    visit_start timestamptz,
    day date,
    claimed_by text,
    claimed_at timestamptz,
    CONSTRAINT followups_key_unique UNIQUE (company_id, key)
);
CREATE INDEX IF NOT EXISTS followups_due ON followups (due_at, seq) WHERE status = 'planned';
CREATE INDEX IF NOT EXISTS followups_claimed ON followups (claimed_at) WHERE status = 'claimed';

-- The waiting list reads cancellations and moves from the event log, of every company, by time.
CREATE INDEX IF NOT EXISTS events_type_time ON events (type, occurred_at);

ALTER TABLE wait_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE waitlist_openings ENABLE ROW LEVEL SECURITY;
ALTER TABLE waitlist_offers ENABLE ROW LEVEL SECURITY;
ALTER TABLE visits ENABLE ROW LEVEL SECURITY;
ALTER TABLE followups ENABLE ROW LEVEL SECURITY;

-- Hand up to p_limit openings (any company, earliest first) to one claimer: open ones due (not_before passed) and
-- claims older than p_stale_after. FOR UPDATE SKIP LOCKED: concurrent claimers get disjoint sets.
CREATE OR REPLACE FUNCTION claim_waitlist_openings(
    p_now timestamptz,
    p_limit integer,
    p_claimer text,
    p_stale_after interval
) RETURNS SETOF waitlist_openings
LANGUAGE sql
SET search_path = public
AS $$
    WITH due AS (
        SELECT seq FROM waitlist_openings
        WHERE (status = 'open' AND (not_before IS NULL OR not_before <= p_now))
           OR (status = 'claimed' AND claimed_at < p_now - p_stale_after)
        ORDER BY start_at, seq
        LIMIT greatest(p_limit, 0)
        FOR UPDATE SKIP LOCKED
    )
    UPDATE waitlist_openings AS o
    SET status = 'claimed', claimed_by = p_claimer, claimed_at = p_now
    FROM due
    WHERE o.seq = due.seq
    RETURNING o.*;
$$;

-- The offer holds the opening p_claimer claimed: both written, or (the claim was lost) neither. Returns the offer.
CREATE OR REPLACE FUNCTION hold_waitlist_opening(
    p_company_id text,
    p_opening_id text,
    p_claimer text,
    p_offer_id text,
    p_entry_id text,
    p_customer_id text,
    p_service_id text,
    p_staff_id text,
    p_start_at timestamptz,
    p_sent_at timestamptz,
    p_hold_until timestamptz
) RETURNS SETOF waitlist_offers
LANGUAGE plpgsql
SET search_path = public
AS $$
BEGIN
    UPDATE waitlist_openings
    SET status = 'held', offer_id = p_offer_id, claimed_by = NULL, claimed_at = NULL
    WHERE company_id = p_company_id AND id = p_opening_id AND status = 'claimed' AND claimed_by = p_claimer;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    INSERT INTO waitlist_offers (company_id, id, opening_id, entry_id, customer_id, service_id, staff_id, start_at,
                                 sent_at, hold_until, status)
    VALUES (p_company_id, p_offer_id, p_opening_id, p_entry_id, p_customer_id, p_service_id, p_staff_id, p_start_at,
            p_sent_at, p_hold_until, 'holding')
    ON CONFLICT (company_id, id) DO NOTHING;
    RETURN QUERY SELECT * FROM waitlist_offers WHERE company_id = p_company_id AND id = p_offer_id;
END;
$$;

-- End a holding offer (an accepted one may also have expired: the late yes was booked, nobody else held the time).
-- accepted: the opening is filled and the entry booked; declined / expired: the opening, if this offer still holds
-- it, is open again for the next customer. Returns the offer when it changed.
CREATE OR REPLACE FUNCTION finish_waitlist_offer(p_company_id text, p_offer_id text, p_status text)
RETURNS SETOF waitlist_offers
LANGUAGE plpgsql
SET search_path = public
AS $$
DECLARE
    ended waitlist_offers;
BEGIN
    UPDATE waitlist_offers SET status = p_status
    WHERE company_id = p_company_id AND id = p_offer_id
      AND (status = 'holding' OR (p_status = 'accepted' AND status = 'expired'))
    RETURNING * INTO ended;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF p_status = 'accepted' THEN
        UPDATE waitlist_openings SET status = 'filled', offer_id = p_offer_id, claimed_by = NULL
        WHERE company_id = p_company_id AND id = ended.opening_id;
        UPDATE wait_entries SET status = 'booked' WHERE company_id = p_company_id AND id = ended.entry_id;
    ELSE
        UPDATE waitlist_openings SET status = 'open', offer_id = NULL
        WHERE company_id = p_company_id AND id = ended.opening_id AND status = 'held' AND offer_id = p_offer_id;
    END IF;
    RETURN NEXT ended;
END;
$$;

-- A visit's mark, unless nothing changed or a staff mark stands and this one is the salon's. Returns it when stored.
CREATE OR REPLACE FUNCTION mark_visit(
    p_company_id text,
    p_booking_id text,
    p_customer_id text,
    p_attendance text,
    p_source text,
    p_visit_start timestamptz,
    p_marked_at timestamptz
) RETURNS SETOF visits
LANGUAGE sql
SET search_path = public
AS $$
    INSERT INTO visits AS v (company_id, booking_id, customer_id, attendance, source, visit_start, marked_at)
    VALUES (p_company_id, p_booking_id, p_customer_id, p_attendance, p_source, p_visit_start, p_marked_at)
    ON CONFLICT (company_id, booking_id) DO UPDATE
        SET attendance = excluded.attendance, source = excluded.source, customer_id = excluded.customer_id,
            visit_start = excluded.visit_start, marked_at = excluded.marked_at
        WHERE (v.attendance, v.source) IS DISTINCT FROM (excluded.attendance, excluded.source)
          AND NOT (v.source = 'staff' AND excluded.source = 'salon')
    RETURNING v.*;
$$;

-- Like claim_due_reminders, for follow-ups.
CREATE OR REPLACE FUNCTION claim_due_followups(
    p_now timestamptz,
    p_limit integer,
    p_claimer text,
    p_stale_after interval
) RETURNS SETOF followups
LANGUAGE sql
SET search_path = public
AS $$
    WITH due AS (
        SELECT seq FROM followups
        WHERE (status = 'planned' AND due_at <= p_now)
           OR (status = 'claimed' AND claimed_at < p_now - p_stale_after)
        ORDER BY due_at, seq
        LIMIT greatest(p_limit, 0)
        FOR UPDATE SKIP LOCKED
    )
    UPDATE followups AS f
    SET status = 'claimed', claimed_by = p_claimer, claimed_at = p_now
    FROM due
    WHERE f.seq = due.seq
    RETURNING f.*;
$$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON wait_entries, waitlist_openings, waitlist_offers, visits, followups
            TO service_role;
        GRANT EXECUTE ON FUNCTION claim_waitlist_openings(timestamptz, integer, text, interval),
            hold_waitlist_opening(text, text, text, text, text, text, text, text, timestamptz, timestamptz,
                timestamptz),
            finish_waitlist_offer(text, text, text),
            mark_visit(text, text, text, text, text, timestamptz, timestamptz),
            claim_due_followups(timestamptz, integer, text, interval) TO service_role;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN
        REVOKE ALL ON wait_entries, waitlist_openings, waitlist_offers, visits, followups FROM anon;
        REVOKE EXECUTE ON FUNCTION claim_waitlist_openings(timestamptz, integer, text, interval),
            hold_waitlist_opening(text, text, text, text, text, text, text, text, timestamptz, timestamptz,
                timestamptz),
            finish_waitlist_offer(text, text, text),
            mark_visit(text, text, text, text, text, timestamptz, timestamptz),
            claim_due_followups(timestamptz, integer, text, interval) FROM anon;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
        REVOKE ALL ON wait_entries, waitlist_openings, waitlist_offers, visits, followups FROM authenticated;
        REVOKE EXECUTE ON FUNCTION claim_waitlist_openings(timestamptz, integer, text, interval),
            hold_waitlist_opening(text, text, text, text, text, text, text, text, timestamptz, timestamptz,
                timestamptz),
            finish_waitlist_offer(text, text, text),
            mark_visit(text, text, text, text, text, timestamptz, timestamptz),
            claim_due_followups(timestamptz, integer, text, interval) FROM authenticated;
    END IF;
END;
$$;
-- Functions are executable by PUBLIC by default; only the service role may run these.
REVOKE EXECUTE ON FUNCTION claim_waitlist_openings(timestamptz, integer, text, interval),
    hold_waitlist_opening(text, text, text, text, text, text, text, text, timestamptz, timestamptz, timestamptz),
    finish_waitlist_offer(text, text, text),
    mark_visit(text, text, text, text, text, timestamptz, timestamptz),
    claim_due_followups(timestamptz, integer, text, interval) FROM PUBLIC;
