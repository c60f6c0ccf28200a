-- One aggregator ingests at a time: the lease row names the holder; its epoch grows at every change of holder and
-- fences each ingest (the transaction commits only while its epoch still holds the lease).
CREATE TABLE aggregator_lease (
  id integer PRIMARY KEY CHECK (id = 1),
  holder text,
  epoch bigint NOT NULL DEFAULT 0,
  acquired_at timestamptz,
  renewed_at timestamptz,
  expires_at timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO aggregator_lease (id) VALUES (1);

-- Which aggregator instance wrote a source run (NULL before leadership existed).
ALTER TABLE source_runs ADD COLUMN aggregator text;
