-- History keyed by the ingest cycle (DESIGN.md §Data model): the realtime row remembers when its newest history
-- row was written, so an ingest decides what to append (a change, or the heartbeat) without reading history.
ALTER TABLE coins ADD COLUMN history_at timestamptz;
ALTER TABLE pools ADD COLUMN history_at timestamptz;
UPDATE coins c SET history_at = (SELECT max(h.time) FROM coin_history h WHERE h.coin = c.coin);
UPDATE pools p SET history_at = (SELECT max(h.time) FROM pool_history h WHERE h.pool_key = p.pool_key);

-- A device's revenue is net of a pool's fee: the pool it was valued on (NULL for a coin no pool lists).
ALTER TABLE hardware_mining ADD COLUMN best_pool text;
