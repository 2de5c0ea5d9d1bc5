-- Data values with their full history, the returns (a unit's report for a period) that are
-- submitted, approved, returned and locked, and household survey microdata.

-- The current state of each value. Indicator codes are not tied to one plan: a series (INC_PC)
-- keeps its history when the next plan reuses its code.
CREATE TABLE data_value (
  indicator          text NOT NULL,
  org_unit           text NOT NULL REFERENCES org_unit (code),
  period             text NOT NULL,
  period_type        text NOT NULL CHECK (period_type IN ('year', 'quarter', 'month')),
  -- NULL: reported as missing (with a comment); never turned into zero.
  value              double precision,
  status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
  vintage            text CHECK (vintage IN ('preliminary', 'final', 'revised')),
  source             text,
  -- Generated demo data, shown as 示例数据 wherever a user sees it.
  synthetic          boolean NOT NULL DEFAULT false,
  comment            text,
  confirmed_outlier  boolean NOT NULL DEFAULT false,
  revision           integer NOT NULL DEFAULT 1,
  updated_by         integer,
  updated_by_name    text,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (indicator, org_unit, period)
);
CREATE INDEX data_value_unit_period_idx ON data_value (org_unit, period);
CREATE INDEX data_value_period_idx ON data_value (period, indicator);

-- Every state a value has had, append-only: revision 1 is the first write.
CREATE TABLE data_value_revision (
  indicator          text NOT NULL,
  org_unit           text NOT NULL,
  period             text NOT NULL,
  revision           integer NOT NULL,
  value              double precision,
  status             text NOT NULL,
  vintage            text,
  source             text,
  synthetic          boolean NOT NULL,
  comment            text,
  confirmed_outlier  boolean NOT NULL,
  change             text NOT NULL CHECK (change IN ('write', 'import', 'submit', 'approve', 'return', 'unlock')),
  reason             text,
  changed_by         integer,
  changed_by_name    text,
  changed_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (indicator, org_unit, period, revision)
);

CREATE FUNCTION refuse_change_of_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER data_value_revision_no_update BEFORE UPDATE OR DELETE ON data_value_revision
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_history();

-- A unit's report for one period: what is submitted, approved or returned, and locked once approved.
CREATE TABLE data_return (
  org_unit    text NOT NULL REFERENCES org_unit (code),
  period      text NOT NULL,
  status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
  locked      boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_unit, period)
);

CREATE TABLE data_return_event (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_unit    text NOT NULL,
  period      text NOT NULL,
  action      text NOT NULL CHECK (action IN ('submit', 'approve', 'return', 'unlock')),
  reason      text,
  by_user     integer,
  by_name     text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_return_event_idx ON data_return_event (org_unit, period, id);
CREATE TRIGGER data_return_event_no_update BEFORE UPDATE OR DELETE ON data_return_event
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_history();

-- Household survey records that feed the microdata indicators (e.g. the share with 100k–500k yuan).
CREATE TABLE household (
  household_id       text NOT NULL,
  org_unit           text NOT NULL REFERENCES org_unit (code),
  year               integer NOT NULL,
  urban_rural        text NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
  size               integer NOT NULL CHECK (size > 0),
  disposable_income  double precision NOT NULL,
  weight             double precision NOT NULL CHECK (weight >= 0),
  synthetic          boolean NOT NULL DEFAULT false,
  PRIMARY KEY (year, household_id)
);
CREATE INDEX household_unit_year_idx ON household (org_unit, year);
