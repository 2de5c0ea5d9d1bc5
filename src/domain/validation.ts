/**
 * The rules a value must meet, the same whichever way it arrives (form, Excel, CSV, API): the row's
 * keys exist and fit (indicator, org unit, period of the indicator's periodicity, a level where the
 * indicator is reported), and the number fits its unit (shares in [0, 1], counts whole and not
 * negative) and the plan's bounds. Missing values stay missing: null is never turned into zero.
 */
import { messages, type Issue, type Location, type ValueInput } from './data.js';
import type { PeriodType } from './period.js';
import { unitOf, type Indicator, type Plan } from './plan.js';

export interface UnitInfo {
  code: string;
  level: string;
  path: string;
  parent: string | null;
}

export interface ValidationContext {
  plan: Pick<Plan, 'units'>;
  indicators: ReadonlyMap<string, Indicator>;
  unit(code: string): UnitInfo | undefined;
  /** Parses a period id, or says why it is not one. */
  period(text: string): { ok: true; id: string; type: PeriodType } | { ok: false; why: string };
}

export interface CheckedValue {
  input: ValueInput;
  indicator: Indicator;
  unit: UnitInfo;
  period: string;
  periodType: PeriodType;
}

function issue(
  code: Issue['code'],
  message: Issue['message'],
  where: Location,
  about: Partial<Pick<Issue, 'indicator' | 'orgUnit' | 'period'>> = {},
  severity: Issue['severity'] = 'error',
): Issue {
  return { code, severity, message, ...where, ...about };
}

/** Checks one value; returns it with what it refers to, or the issues that stop it. */
export function checkValue(
  input: ValueInput,
  where: Location,
  ctx: ValidationContext,
): { ok: true; value: CheckedValue } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const about = { indicator: input.indicator, orgUnit: input.orgUnit, period: input.period };
  const indicator = ctx.indicators.get(input.indicator);
  if (!indicator) issues.push(issue('unknown_indicator', messages.unknownIndicator(input.indicator), where, about));
  const unit = ctx.unit(input.orgUnit);
  if (!unit) issues.push(issue('unknown_org_unit', messages.unknownOrgUnit(input.orgUnit), where, about));
  const period = ctx.period(input.period);
  if (!period.ok) issues.push(issue('bad_period', messages.badPeriod(input.period, period.why), where, about));
  if (!indicator || !unit || !period.ok) return { ok: false, issues };

  if (indicator.computation.kind !== 'raw')
    issues.push(issue('computed_indicator', messages.computedIndicator(indicator.code), where, about));
  if (period.type !== indicator.periodicity)
    issues.push(
      issue('wrong_periodicity', messages.wrongPeriodicity(indicator.code, indicator.periodicity), where, about),
    );
  if (!(indicator.levels as readonly string[]).includes(unit.level))
    issues.push(issue('level_not_applicable', messages.levelNotApplicable(indicator.code, unit.level), where, about));
  issues.push(...checkNumber(input.value, indicator, ctx.plan, where, about));
  if (input.value === null && !input.comment?.trim())
    issues.push(issue('missing_value', messages.missingValue(), where, about));
  if (input.confirmOutlier && !input.comment?.trim())
    issues.push(issue('confirmation_needs_comment', messages.confirmationNeedsComment(), where, about));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { input, indicator, unit, period: period.id, periodType: period.type } };
}

/** The number against its unit and the plan's bounds. */
export function checkNumber(
  value: number | null,
  indicator: Indicator,
  plan: Pick<Plan, 'units'>,
  where: Location,
  about: Partial<Pick<Issue, 'indicator' | 'orgUnit' | 'period'>> = {},
): Issue[] {
  if (value === null) return [];
  const issues: Issue[] = [];
  if (!Number.isFinite(value)) return [issue('not_a_number', messages.notANumber(String(value)), where, about)];
  const kind = unitOf(plan, indicator.unit)?.kind;
  if (kind === 'share' && (value < 0 || value > 1))
    issues.push(issue('share_out_of_range', messages.shareOutOfRange(value), where, about));
  if (kind === 'count') {
    if (value < 0) issues.push(issue('negative_count', messages.negativeCount(value), where, about));
    else if (!Number.isInteger(value))
      issues.push(issue('not_whole_number', messages.notWholeNumber(value), where, about));
  }
  const { min, max } = indicator.bounds ?? {};
  if (min !== undefined && value < min && !(kind === 'count' && value < 0))
    issues.push(issue('below_minimum', messages.belowMinimum(value, min), where, about));
  if (max !== undefined && value > max && !(kind === 'share' && value > 1))
    issues.push(issue('above_maximum', messages.aboveMaximum(value, max), where, about));
  return issues;
}
