/** Table types for Kysely: one interface per table of the migrations, column for column. */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Json<T extends object | null> = JSONColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PlanTable {
  id: string;
  title_zh: string;
  title_en: string;
  base_year: number;
  target_year: number;
  root_org_unit: string;
  settings: Json<Record<string, unknown>>;
  source_file: string | null;
  source_sha256: string | null;
  loaded_at: Timestamp;
}

export interface PlanDimensionTable {
  plan_id: string;
  code: string;
  position: number;
  name_zh: string;
  name_en: string;
  goal: Json<{ zh: string; en?: string | undefined } | null>;
  source: string;
}

export interface PlanSectionTable {
  plan_id: string;
  number: number;
  label: string | null;
  title_zh: string;
  title_en: string;
  source: string;
}

export interface PlanTaskTable {
  plan_id: string;
  number: number;
  section: number;
  list: 'key' | 'breakthrough' | 'reform';
  title_zh: string;
  title_en: string;
  summary_zh: string;
  summary_en: string | null;
  dimensions: string[];
  source: string;
}

export interface PlanTaskUnitTable {
  plan_id: string;
  task_number: number;
  org_unit: string;
  role: 'lead' | 'cooperating';
  position: number;
  demo: boolean;
}

export interface IndicatorTable {
  plan_id: string;
  code: string;
  position: number;
  name_zh: string;
  name_en: string;
  description: Json<object | null>;
  unit: string;
  dimension: string;
  tasks: number[];
  direction: 'up' | 'down';
  periodicity: 'year' | 'quarter' | 'month';
  period_aggregation: 'sum' | 'last' | 'mean';
  levels: string[];
  aggregation: Json<object | null>;
  computation: Json<object | null>;
  computation_kind: ColumnType<string, never, never>;
  bounds: Json<object | null>;
  limit_value: number | null;
  baseline: Json<object | null>;
  targets: Json<unknown[]>;
  headline: boolean;
  source: string;
  note: string | null;
}

export interface OrgUnitTable {
  code: string;
  name: string;
  name_en: string | null;
  kind: 'region' | 'department';
  level: 'province' | 'city' | 'county' | 'town' | 'village' | 'department';
  parent: string | null;
  path: string;
  depth: number;
  attributes: Json<Record<string, string>>;
}

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  demo: Generated<boolean>;
  disabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Generated<Date>;
  created_at: Generated<Date>;
}

export interface UserGrantTable {
  user_id: number;
  role: string;
  org_unit: string;
  granted_at: Generated<Date>;
}

export interface UserSessionTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  address: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  scopes: string[];
  created_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface AuditLogTable {
  /** bigint: comes back as a string, converted where read. */
  id: Generated<string>;
  at: Generated<Date>;
  user_id: number | null;
  username: string | null;
  address: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: Json<object | null>;
  after: Json<object | null>;
  outcome: Generated<'ok' | 'denied' | 'failed'>;
}

export interface DataValueTable {
  indicator: string;
  org_unit: string;
  period: string;
  period_type: 'year' | 'quarter' | 'month';
  value: number | null;
  status: Generated<'draft' | 'submitted' | 'approved' | 'returned'>;
  vintage: 'preliminary' | 'final' | 'revised' | null;
  source: string | null;
  synthetic: Generated<boolean>;
  comment: string | null;
  confirmed_outlier: Generated<boolean>;
  revision: Generated<number>;
  updated_by: number | null;
  updated_by_name: string | null;
  updated_at: Generated<Date>;
}

export interface DataValueRevisionTable {
  indicator: string;
  org_unit: string;
  period: string;
  revision: number;
  value: number | null;
  status: string;
  vintage: string | null;
  source: string | null;
  synthetic: boolean;
  comment: string | null;
  confirmed_outlier: boolean;
  change: 'write' | 'import' | 'submit' | 'approve' | 'return' | 'unlock';
  reason: string | null;
  changed_by: number | null;
  changed_by_name: string | null;
  changed_at: Generated<Date>;
}

export interface DataReturnTable {
  org_unit: string;
  period: string;
  status: Generated<'draft' | 'submitted' | 'approved' | 'returned'>;
  locked: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface DataReturnEventTable {
  id: Generated<string>;
  org_unit: string;
  period: string;
  action: 'submit' | 'approve' | 'return' | 'unlock';
  reason: string | null;
  by_user: number | null;
  by_name: string | null;
  at: Generated<Date>;
}

export interface HouseholdTable {
  household_id: string;
  org_unit: string;
  year: number;
  urban_rural: 'urban' | 'rural';
  size: number;
  disposable_income: number;
  weight: number;
  synthetic: Generated<boolean>;
}

export interface EvaluationRunTable {
  id: Generated<number>;
  plan_id: string;
  as_of_year: number;
  requested_year: number | null;
  data_as_of: Date;
  fingerprint: string;
  statuses: string[];
  values_used: number;
  duration_ms: number;
  frozen: Generated<boolean>;
  label: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface EvaluationCellTable {
  run_id: number;
  indicator: string;
  org_unit: string;
  year: number | null;
  value: number | null;
  coverage: number | null;
  origin: string;
  status: string;
  detail: Json<object>;
}

export interface EvaluationIndexTable {
  run_id: number;
  org_unit: string;
  year: number;
  index_value: number | null;
  coverage: number | null;
  rank: number | null;
  rank_change: number | null;
  improvement: number | null;
  improvement_rank: number | null;
  dimensions: Json<Record<string, number | null>>;
}

export interface SchemaMigrationTable {
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

export interface Database {
  plan: PlanTable;
  plan_dimension: PlanDimensionTable;
  plan_section: PlanSectionTable;
  plan_task: PlanTaskTable;
  plan_task_unit: PlanTaskUnitTable;
  indicator: IndicatorTable;
  org_unit: OrgUnitTable;
  app_user: AppUserTable;
  user_grant: UserGrantTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
  data_value: DataValueTable;
  data_value_revision: DataValueRevisionTable;
  data_return: DataReturnTable;
  data_return_event: DataReturnEventTable;
  household: HouseholdTable;
  evaluation_run: EvaluationRunTable;
  evaluation_cell: EvaluationCellTable;
  evaluation_index: EvaluationIndexTable;
  schema_migration: SchemaMigrationTable;
}
