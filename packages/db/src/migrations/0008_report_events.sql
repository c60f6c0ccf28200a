-- The event log also announces proxy reports: a miners report and the switches a proxy made (/v1/events).
-- A miner's agent (the software it announced in mining.subscribe) is reported with its stats.
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
  CHECK (type IN ('rankings-changed', 'miners-reported', 'switch'));

ALTER TABLE miner_stats ADD COLUMN agent text;
