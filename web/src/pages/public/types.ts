/** The public API's shapes (src/http/routes/public.ts). */
export interface PublicSummary {
  code: string;
  name: { zh: string; en: string };
  dimension: string;
  unit: string;
  unitLabel: { zh: string; en: string };
  kind: string;
  direction: string;
  periods: string[];
  latest: { period: string; value: number | null } | null;
  status: string | null;
  synthetic: boolean;
  demo: boolean;
}
export interface PublicDetail extends PublicSummary {
  targets: Record<string, unknown>[];
  source: string;
  series: {
    orgUnit: string;
    name: string;
    status: string | null;
    points: { period: string; value: number | null; synthetic: boolean }[];
  }[];
}
export const downloadUrl = (format: string, indicator?: string) =>
  `/api/v1/public/download?format=${format}${indicator ? `&indicator=${encodeURIComponent(indicator)}` : ''}`;
