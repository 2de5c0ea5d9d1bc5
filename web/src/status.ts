/**
 * Statuses of a target and their colours. The palette is colour-blind safe (Okabe–Ito based: blue for
 * achieved, bluish green for on track, orange for at risk, vermilion for off track, grey for no data),
 * and every badge also carries a symbol and a word, so colour is never the only signal.
 */
export const STATUSES = ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data', 'no_target'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_COLOURS: Record<Status, string> = {
  achieved: '#0072B2',
  on_track: '#009E73',
  at_risk: '#E69F00',
  off_track: '#D55E00',
  no_data: '#9AA0A6',
  no_target: '#C4C8CC',
};

export const STATUS_SYMBOLS: Record<Status, string> = {
  achieved: '★',
  on_track: '●',
  at_risk: '▲',
  off_track: '✕',
  no_data: '○',
  no_target: '–',
};

/** Worst first: the order a leader reads a scorecard in. */
export const STATUS_SEVERITY: Record<Status, number> = {
  off_track: 0,
  at_risk: 1,
  no_data: 2,
  on_track: 3,
  achieved: 4,
  no_target: 5,
};

export function asStatus(value: string | null | undefined): Status {
  return (STATUSES as readonly string[]).includes(value ?? '') ? (value as Status) : 'no_data';
}

/** The i18n key of a status's name. */
export const statusKey = (s: string) => `status.${asStatus(s)}`;
