-- Work still waiting, by age: the scheduler's sweep hands what lost its queue job (a Redis outage, a crash between
-- the store and the queue) to the queue again (Store.stale_inbound, Store.stale_webhook_deliveries). Idempotent
-- like 0001.
CREATE INDEX IF NOT EXISTS inbound_waiting ON inbound (recorded_at) WHERE NOT done;
CREATE INDEX IF NOT EXISTS webhook_deliveries_waiting ON webhook_deliveries (updated_at) WHERE status = 'pending';
