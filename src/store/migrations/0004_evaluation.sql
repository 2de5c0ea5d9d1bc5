-- Stored evaluations: a run (what it was computed from) with its cells (indicator × unit) and the
-- horse race (unit × year). A run can be frozen: an assessment published on it is then reproducible
-- from the value history as it stood at `data_as_of`.

CREATE TABLE evaluation_run (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id       text NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
  as_of_year    integer NOT NULL,
  -- The year asked for (NULL: the latest year with data was taken).
  requested_year integer,
  -- The instant of the data it used: the latest revision it saw. Values as of then are in the history.
  data_as_of    timestamptz NOT NULL,
  -- A hash of every input cell and the plan: the same inputs give the same fingerprint.
  fingerprint   text NOT NULL,
  statuses      text[] NOT NULL,
  values_used   integer NOT NULL,
  duration_ms   integer NOT NULL,
  frozen        boolean NOT NULL DEFAULT false,
  label         text,
  created_by    text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evaluation_run_plan_idx ON evaluation_run (plan_id, id DESC);

CREATE TABLE evaluation_cell (
  run_id      integer NOT NULL REFERENCES evaluation_run (id) ON DELETE CASCADE,
  indicator   text NOT NULL,
  org_unit    text NOT NULL,
  year        integer,
  value       double precision,
  coverage    double precision,
  origin      text NOT NULL,
  status      text NOT NULL,
  -- Every target's evaluation with its explanation, the Open SDG measure, and the yearly series.
  detail      jsonb NOT NULL,
  PRIMARY KEY (run_id, indicator, org_unit)
);
CREATE INDEX evaluation_cell_unit_idx ON evaluation_cell (run_id, org_unit);

CREATE TABLE evaluation_index (
  run_id            integer NOT NULL REFERENCES evaluation_run (id) ON DELETE CASCADE,
  org_unit          text NOT NULL,
  year              integer NOT NULL,
  index_value       double precision,
  coverage          double precision,
  rank              double precision,
  rank_change       double precision,
  improvement       double precision,
  improvement_rank  double precision,
  -- Sub-index per dimension code.
  dimensions        jsonb NOT NULL,
  PRIMARY KEY (run_id, org_unit, year)
);
