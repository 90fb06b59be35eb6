-- Messages still waiting, by age: the scheduler's sweep hands those whose queue job was lost (a Redis outage, a
-- crash between the store and the queue) to the queue again (Store.stale_inbound). Idempotent like 0001.
CREATE INDEX IF NOT EXISTS inbound_waiting ON inbound (recorded_at) WHERE NOT done;
