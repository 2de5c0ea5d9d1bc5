-- Users, their grants, sessions, API tokens, and the audit trail.

CREATE TABLE app_user (
  id                integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username          text NOT NULL UNIQUE,
  display_name      text NOT NULL,
  password_hash     text NOT NULL,
  -- Demo accounts are created by `gongfu start` with demo data and shown as such.
  demo              boolean NOT NULL DEFAULT false,
  disabled          boolean NOT NULL DEFAULT false,
  failed_logins     integer NOT NULL DEFAULT 0,
  locked_until      timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at        timestamptz NOT NULL DEFAULT now()
);

-- A role on an org-unit subtree (a region and everything under it) or on a department.
CREATE TABLE user_grant (
  user_id   integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  role      text NOT NULL CHECK (role IN ('admin', 'analyst', 'leader', 'reporter', 'approver', 'supervisor', 'unit_member')),
  org_unit  text NOT NULL REFERENCES org_unit (code),
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, role, org_unit)
);

-- Browser sessions. Only a hash of the cookie's token is stored.
CREATE TABLE user_session (
  token_hash   text PRIMARY KEY,
  user_id      integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  address      text
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

-- Bearer tokens for other systems: hashed at rest, limited to some actions, revocable, expiring.
CREATE TABLE api_token (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  name        text NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  scopes      text[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  last_used_at timestamptz
);

-- Every state change, append-only: who, when, from where, what, before and after.
CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  user_id      integer,
  username     text,
  address      text,
  action       text NOT NULL,
  target_type  text NOT NULL,
  target_id    text,
  before       jsonb,
  after        jsonb,
  outcome      text NOT NULL DEFAULT 'ok' CHECK (outcome IN ('ok', 'denied', 'failed'))
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at);

-- Append-only whatever the role: rows can be added, never changed or removed.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
