-- Foundation: plans with their dimensions, sections, tasks and indicators; org units and departments.
-- Nested parts of an indicator (targets, roll-up rule, computation) are jsonb: they are read whole
-- and checked by the plan schema on the way in.

CREATE TABLE plan (
  id              text PRIMARY KEY,
  title_zh        text NOT NULL,
  title_en        text NOT NULL,
  base_year       integer NOT NULL,
  target_year     integer NOT NULL CHECK (target_year > base_year),
  root_org_unit   text NOT NULL,
  -- Plan-level settings kept as written: short title, issuer, units, evaluation thresholds.
  settings        jsonb NOT NULL DEFAULT '{}',
  -- The file it was imported from and its SHA-256, so `gongfu start` reloads a plan file that changed.
  source_file     text,
  source_sha256   text,
  loaded_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE plan_dimension (
  plan_id   text NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
  code      text NOT NULL,
  position  integer NOT NULL,
  name_zh   text NOT NULL,
  name_en   text NOT NULL,
  goal      jsonb,
  source    text NOT NULL,
  PRIMARY KEY (plan_id, code)
);

CREATE TABLE plan_section (
  plan_id   text NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
  number    integer NOT NULL,
  label     text,
  title_zh  text NOT NULL,
  title_en  text NOT NULL,
  source    text NOT NULL,
  PRIMARY KEY (plan_id, number)
);

CREATE TABLE plan_task (
  plan_id     text NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
  number      integer NOT NULL,
  section     integer NOT NULL,
  list        text NOT NULL CHECK (list IN ('key', 'breakthrough', 'reform')),
  title_zh    text NOT NULL,
  title_en    text NOT NULL,
  summary_zh  text NOT NULL,
  summary_en  text,
  dimensions  text[] NOT NULL DEFAULT '{}',
  source      text NOT NULL,
  PRIMARY KEY (plan_id, number),
  FOREIGN KEY (plan_id, section) REFERENCES plan_section (plan_id, number)
);

-- Who answers for a task: lead and co-operating units (departments or regions).
CREATE TABLE plan_task_unit (
  plan_id      text NOT NULL,
  task_number  integer NOT NULL,
  org_unit     text NOT NULL,
  role         text NOT NULL CHECK (role IN ('lead', 'cooperating')),
  position     integer NOT NULL,
  -- A demo assignment, not the plan office's decision.
  demo         boolean NOT NULL DEFAULT false,
  PRIMARY KEY (plan_id, task_number, org_unit, role),
  FOREIGN KEY (plan_id, task_number) REFERENCES plan_task (plan_id, number) ON DELETE CASCADE
);

CREATE TABLE indicator (
  plan_id             text NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
  code                text NOT NULL,
  position            integer NOT NULL,
  name_zh             text NOT NULL,
  name_en             text NOT NULL,
  description         jsonb,
  unit                text NOT NULL,
  dimension           text NOT NULL,
  tasks               integer[] NOT NULL DEFAULT '{}',
  direction           text NOT NULL CHECK (direction IN ('up', 'down')),
  periodicity         text NOT NULL CHECK (periodicity IN ('year', 'quarter', 'month')),
  period_aggregation  text NOT NULL CHECK (period_aggregation IN ('sum', 'last', 'mean')),
  levels              text[] NOT NULL,
  aggregation         jsonb NOT NULL,
  computation         jsonb NOT NULL,
  computation_kind    text NOT NULL GENERATED ALWAYS AS (computation ->> 'kind') STORED,
  bounds              jsonb,
  limit_value         double precision,
  baseline            jsonb,
  targets             jsonb NOT NULL DEFAULT '[]',
  headline            boolean NOT NULL DEFAULT false,
  source              text NOT NULL,
  note                text,
  PRIMARY KEY (plan_id, code),
  FOREIGN KEY (plan_id, dimension) REFERENCES plan_dimension (plan_id, code)
);
CREATE INDEX indicator_tasks_idx ON indicator USING gin (tasks);

-- Regions (province … village) and departments, one tree. `path` is the materialised path of codes,
-- '/330000/330700/330782/', so that a subtree is one indexed prefix match.
CREATE TABLE org_unit (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  name_en     text,
  kind        text NOT NULL CHECK (kind IN ('region', 'department')),
  level       text NOT NULL CHECK (level IN ('province', 'city', 'county', 'town', 'village', 'department')),
  parent      text,
  path        text NOT NULL,
  depth       integer NOT NULL,
  attributes  jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX org_unit_parent_idx ON org_unit (parent, code);
CREATE INDEX org_unit_path_idx ON org_unit (path text_pattern_ops);
CREATE INDEX org_unit_level_idx ON org_unit (level);
