-- Appraisal (考核): the events that bonus and deduction rules apply to, satisfaction survey responses,
-- and scored periods. A scored period is a run under the scheme in force (kept in the run, so it
-- explains itself after the scheme file changes); a run can be frozen and published, after which it
-- does not change: a correction is a new version that names the one it corrects and why.
-- Like the loop's tables, nothing refers to plan by foreign key (a plan is re-inserted on import).

CREATE TABLE appraisal_event (
  id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id        text NOT NULL,
  org_unit       text NOT NULL REFERENCES org_unit (code),
  period         text NOT NULL,
  rule           text NOT NULL,
  quantity       double precision NOT NULL DEFAULT 1 CHECK (quantity > 0),
  -- What happened and where it is documented (a document number, a link, a file's hash).
  evidence       text NOT NULL CHECK (length(evidence) > 0),
  status         text NOT NULL DEFAULT 'recorded' CHECK (status IN ('recorded', 'approved', 'rejected')),
  recorded_by    text,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  decided_by     text,
  decided_at     timestamptz,
  decision_note  text
);
CREATE INDEX appraisal_event_period_idx ON appraisal_event (plan_id, period, org_unit);

CREATE TABLE survey_response (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id      text NOT NULL,
  period       text NOT NULL,
  respondent   text NOT NULL,
  weight       double precision NOT NULL CHECK (weight >= 0),
  org_unit     text NOT NULL REFERENCES org_unit (code),
  question     text NOT NULL,
  -- On the scale scale_min … scale_max; NULL: not answered.
  answer       double precision,
  scale_min    double precision NOT NULL,
  scale_max    double precision NOT NULL CHECK (scale_max > scale_min),
  synthetic    boolean NOT NULL DEFAULT false,
  source       text,
  imported_by  text,
  imported_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (plan_id, period, org_unit, respondent, question)
);

CREATE TABLE appraisal_run (
  id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id         text NOT NULL,
  period          text NOT NULL,
  subject         text NOT NULL CHECK (subject IN ('county', 'department')),
  -- 1, 2, … per plan × period × subject, in the order scored.
  version         integer NOT NULL,
  scheme_id       text NOT NULL,
  scheme_version  integer NOT NULL,
  scheme          jsonb NOT NULL,
  -- Where the inputs came from: the evaluation run, survey, loop counts.
  sources         jsonb NOT NULL,
  frozen          boolean NOT NULL DEFAULT false,
  published       boolean NOT NULL DEFAULT false,
  corrected_from  integer REFERENCES appraisal_run (id),
  reason          text,
  created_by      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  frozen_by       text,
  frozen_at       timestamptz,
  published_by    text,
  published_at    timestamptz,
  UNIQUE (plan_id, period, subject, version),
  CHECK (NOT published OR frozen),
  CHECK (corrected_from IS NULL OR reason IS NOT NULL)
);

CREATE TABLE appraisal_score (
  run_id        integer NOT NULL REFERENCES appraisal_run (id) ON DELETE CASCADE,
  org_unit      text NOT NULL,
  total         double precision NOT NULL,
  -- Standard error of the total, points.
  se            double precision NOT NULL,
  components    jsonb NOT NULL,
  bonuses       double precision NOT NULL,
  deductions    double precision NOT NULL,
  -- Each rule with its events, raw points and cap.
  rules         jsonb NOT NULL,
  rank          integer NOT NULL,
  rank_change   integer,
  significance  jsonb NOT NULL,
  -- Everything else of the breakdown (reweighting, limits, previous rank, inputs).
  detail        jsonb NOT NULL,
  PRIMARY KEY (run_id, org_unit)
);

-- Frozen means frozen: a frozen run may only be published; a published one not even that, and the
-- scores of a frozen run neither change nor go away.
CREATE FUNCTION appraisal_run_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.frozen THEN RAISE EXCEPTION 'appraisal run % is frozen', OLD.id; END IF;
    RETURN OLD;
  END IF;
  IF OLD.published THEN RAISE EXCEPTION 'appraisal run % is published and does not change', OLD.id; END IF;
  IF OLD.frozen AND (NEW.frozen IS DISTINCT FROM OLD.frozen OR NEW.scheme IS DISTINCT FROM OLD.scheme
      OR NEW.sources IS DISTINCT FROM OLD.sources OR NEW.period IS DISTINCT FROM OLD.period
      OR NEW.version IS DISTINCT FROM OLD.version OR NEW.reason IS DISTINCT FROM OLD.reason) THEN
    RAISE EXCEPTION 'appraisal run % is frozen', OLD.id;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER appraisal_run_frozen BEFORE UPDATE OR DELETE ON appraisal_run
  FOR EACH ROW EXECUTE FUNCTION appraisal_run_guard();

CREATE FUNCTION appraisal_score_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'appraisal scores are written once'; END IF;
  IF EXISTS (SELECT 1 FROM appraisal_run WHERE id = OLD.run_id AND frozen) THEN
    RAISE EXCEPTION 'appraisal run % is frozen', OLD.run_id;
  END IF;
  RETURN OLD;
END;
$$;
CREATE TRIGGER appraisal_score_frozen BEFORE UPDATE OR DELETE ON appraisal_score
  FOR EACH ROW EXECUTE FUNCTION appraisal_score_guard();
