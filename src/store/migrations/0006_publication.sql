-- Publication: an analyst publishes an indicator's period (all its units at once); the public portal
-- and its downloads show the approved values of published periods and nothing else.
CREATE TABLE publication (
  indicator          text NOT NULL,
  period             text NOT NULL,
  published_at       timestamptz NOT NULL DEFAULT now(),
  published_by       integer,
  published_by_name  text,
  -- Published by `gongfu start` for the demo, not by an analyst's decision.
  demo               boolean NOT NULL DEFAULT false,
  PRIMARY KEY (indicator, period)
);
CREATE INDEX publication_period_idx ON publication (period);
