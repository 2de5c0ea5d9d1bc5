-- Task lists and the closed loop: list items with milestones and a timeline, evidence files,
-- problems (督办事项) with their workflow history, the in-app inbox, and target adjustments.
-- No foreign key points at plan or plan_task: a plan is saved whole (deleted and re-inserted) on
-- every import, and the loop's records must outlive that. They refer to the plan by id.

CREATE TABLE task_item (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id          text NOT NULL,
  list             text NOT NULL CHECK (list IN ('key', 'breakthrough', 'reform')),
  -- The plan task (1–42 in Jinhua) it belongs to; NULL for an item not tied to one task.
  task_number      integer,
  -- 'plan': made from the plan's task when the plan was loaded; 'user': added (or split) by an analyst.
  origin           text NOT NULL CHECK (origin IN ('plan', 'user')),
  parent_id        integer REFERENCES task_item (id),
  title_zh         text NOT NULL,
  title_en         text,
  description      text,
  lead_unit        text REFERENCES org_unit (code),
  -- The lead unit is a demo assignment, not the plan office's decision.
  lead_demo        boolean NOT NULL DEFAULT false,
  -- [{ "unit": code, "demo": bool }]
  cooperating      jsonb NOT NULL DEFAULT '[]',
  -- The org-unit subtree the item is about (whose analysts edit it).
  scope_unit       text NOT NULL REFERENCES org_unit (code),
  indicators       text[] NOT NULL DEFAULT '{}',
  status           text NOT NULL DEFAULT 'not_started'
                   CHECK (status IN ('not_started', 'in_progress', 'done', 'delayed', 'cancelled')),
  priority         text NOT NULL DEFAULT 'normal' CHECK (priority IN ('high', 'normal', 'low')),
  percent_complete integer NOT NULL DEFAULT 0 CHECK (percent_complete BETWEEN 0 AND 100),
  -- Reform requests (重大改革诉求): addressed to a higher level, with the reply when it comes.
  addressed_to     text,
  requested_at     timestamptz,
  reply            text,
  replied_at       timestamptz,
  created_by       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- One plan-made item per plan task: reloading a plan never duplicates them.
CREATE UNIQUE INDEX task_item_plan_task_idx ON task_item (plan_id, task_number) WHERE origin = 'plan';
CREATE INDEX task_item_list_idx ON task_item (plan_id, list);

CREATE TABLE task_milestone (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  item_id     integer NOT NULL REFERENCES task_item (id) ON DELETE CASCADE,
  title       text NOT NULL,
  due         date NOT NULL,
  reached_at  timestamptz
);
CREATE INDEX task_milestone_item_idx ON task_milestone (item_id);

-- Evidence files, stored once by content hash.
CREATE TABLE evidence_file (
  sha256       text PRIMARY KEY,
  content      bytea NOT NULL,
  size         integer NOT NULL,
  media_type   text NOT NULL,
  file_name    text NOT NULL,
  uploaded_by  text,
  uploaded_at  timestamptz NOT NULL DEFAULT now()
);

-- The item's timeline: reports, status changes, comments, edits, replies. Append-only.
CREATE TABLE task_event (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  item_id       integer NOT NULL REFERENCES task_item (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('created', 'report', 'status', 'comment', 'edit', 'split', 'reply')),
  text          text,
  percent       integer,
  milestone_id  integer,
  milestone_reached boolean,
  status_from   text,
  status_to     text,
  -- [{ sha256, fileName, mediaType, size }]
  evidence      jsonb NOT NULL DEFAULT '[]',
  data          jsonb,
  by_user       integer,
  by_name       text,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_event_item_idx ON task_event (item_id, id);

CREATE TABLE problem (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id          text NOT NULL,
  title            text NOT NULL,
  description      text,
  category         text NOT NULL,
  source_kind      text NOT NULL CHECK (source_kind IN ('indicator', 'item', 'milestone', 'free')),
  -- The unit the problem is about (indicator cell's unit, the item's scope, or named by the raiser).
  org_unit         text NOT NULL REFERENCES org_unit (code),
  indicator        text,
  period           text,
  item_id          integer REFERENCES task_item (id) ON DELETE SET NULL,
  milestone_id     integer REFERENCES task_milestone (id) ON DELETE SET NULL,
  found_by         text NOT NULL CHECK (found_by IN ('self', 'higher', 'auto')),
  status           text NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'assigned', 'rectifying', 'awaiting_verification', 'closed')),
  -- The unit that answers for it (proposed while open, set by 交办).
  assigned_unit    text REFERENCES org_unit (code),
  assignee         integer REFERENCES app_user (id),
  deadline         timestamptz,
  -- Times verification failed and it went back to rectifying.
  reopened         integer NOT NULL DEFAULT 0,
  -- Automatic alerts: the evidence of the latest run, the run, consecutive red runs, recovery.
  evidence         jsonb,
  last_run_id      integer,
  red_runs         integer,
  recovered_at     timestamptz,
  -- Escalation notified so far (0: none), by the sweep.
  escalation_level integer NOT NULL DEFAULT 0,
  created_by       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  closed_at        timestamptz
);
-- At most one problem not yet closed per plan × indicator × unit: alerts update it, never duplicate.
CREATE UNIQUE INDEX problem_open_indicator_idx ON problem (plan_id, indicator, org_unit)
  WHERE source_kind = 'indicator' AND status <> 'closed';
CREATE UNIQUE INDEX problem_open_milestone_idx ON problem (milestone_id)
  WHERE source_kind = 'milestone' AND status <> 'closed';
CREATE INDEX problem_status_idx ON problem (plan_id, status);

-- Every transition and note: who, when, why. Append-only.
CREATE TABLE problem_event (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  problem_id   integer NOT NULL REFERENCES problem (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('raised', 'transition', 'alert', 'recovered', 'escalated', 'comment')),
  transition   text,
  from_status  text,
  to_status    text,
  reason       text,
  data         jsonb,
  by_user      integer,
  by_name      text,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX problem_event_problem_idx ON problem_event (problem_id, id);

CREATE FUNCTION loop_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER task_event_no_update BEFORE UPDATE ON task_event
  FOR EACH ROW EXECUTE FUNCTION loop_event_is_append_only();
CREATE TRIGGER problem_event_no_update BEFORE UPDATE ON problem_event
  FOR EACH ROW EXECUTE FUNCTION loop_event_is_append_only();

-- The in-app inbox. `dedupe` makes a reminder (due soon, overdue, escalated) arrive once.
CREATE TABLE notification (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('assigned', 'due_soon', 'overdue', 'returned', 'escalated', 'to_verify', 'alert')),
  problem_id   integer REFERENCES problem (id) ON DELETE CASCADE,
  item_id      integer REFERENCES task_item (id) ON DELETE CASCADE,
  message_zh   text NOT NULL,
  message_en   text NOT NULL,
  dedupe       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  read_at      timestamptz,
  emailed_at   timestamptz,
  email_error  text,
  UNIQUE (user_id, dedupe)
);
CREATE INDEX notification_user_idx ON notification (user_id, id DESC);

-- Where a user's notifications are also e-mailed (optional; only when SMTP is configured).
CREATE TABLE user_contact (
  user_id  integer PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
  email    text NOT NULL
);

-- 动态调整: a proposed change of one target of an indicator, with its justification and approval.
-- The plan's target stays as written; the adjusted one is kept beside it.
CREATE TABLE target_adjustment (
  id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id        text NOT NULL,
  indicator      text NOT NULL,
  target_index   integer NOT NULL,
  original       jsonb NOT NULL,
  adjusted       jsonb NOT NULL,
  justification  text NOT NULL,
  status         text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
  proposed_by    text,
  proposed_at    timestamptz NOT NULL DEFAULT now(),
  decided_by     text,
  decided_at     timestamptz,
  decision_note  text
);
CREATE INDEX target_adjustment_idx ON target_adjustment (plan_id, indicator);
