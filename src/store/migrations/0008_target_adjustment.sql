-- 动态调整, completed: the four-eyes rule by user, withdrawal (of a proposal, or of an approved
-- adjustment no longer wanted), and evaluation runs that say which targets they were evaluated against.

-- 'withdrawn': taken back before a decision, or lifted after approval (no longer in force);
-- 'superseded': an approved adjustment replaced by a later approved one of the same target.
ALTER TABLE target_adjustment DROP CONSTRAINT target_adjustment_status_check;
ALTER TABLE target_adjustment ADD CONSTRAINT target_adjustment_status_check
  CHECK (status IN ('proposed', 'approved', 'rejected', 'withdrawn', 'superseded'));
-- Who proposed and who decided, by user (NULL: the command line); the names stay for the record.
ALTER TABLE target_adjustment ADD COLUMN proposed_by_user integer REFERENCES app_user (id);
ALTER TABLE target_adjustment ADD COLUMN decided_by_user integer REFERENCES app_user (id);
ALTER TABLE target_adjustment ADD COLUMN withdrawn_by text;
ALTER TABLE target_adjustment ADD COLUMN withdrawn_at timestamptz;
ALTER TABLE target_adjustment ADD COLUMN withdraw_reason text;
-- At most one adjustment in force per target (proposals may compete; approving one supersedes the last).
CREATE UNIQUE INDEX target_adjustment_in_force_idx ON target_adjustment (plan_id, indicator, target_index)
  WHERE status = 'approved';

-- 'adjusted': the plan with the approved adjustments in force applied (those listed in
-- target_adjustments); 'original': the plan as loaded.
ALTER TABLE evaluation_run ADD COLUMN target_basis text NOT NULL DEFAULT 'adjusted'
  CHECK (target_basis IN ('adjusted', 'original'));
ALTER TABLE evaluation_run ADD COLUMN target_adjustments integer[] NOT NULL DEFAULT '{}';
