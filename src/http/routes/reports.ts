/** The assessment report of a year (HTML to print, or XLSX), or one county's scorecard. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assessmentReport, REPORT_FORMATS } from '../../services/reports.js';
import type { RouteDeps } from '../route.js';
import * as s from '../schemas.js';

export const reportQuery = z.object({
  period: z
    .string()
    .regex(/^\d{4}$/)
    .describe('The year assessed')
    .meta({ examples: ['2024'] }),
  org: z
    .string()
    .optional()
    .describe("One county's scorecard alone (its code)")
    .meta({ examples: ['330782'] }),
  format: z
    .enum(REPORT_FORMATS)
    .default('html')
    .describe('html: print-ready A4 with SVG charts; xlsx: one sheet per table'),
  lang: z.enum(['zh', 'en']).default('zh'),
});

export function reportRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  app.get(
    '/api/v1/reports/assessment',
    {
      schema: {
        summary:
          'The assessment report of a year: index and ranks, dimensions, county scorecards, off-track list, loop figures',
        description:
          'Needs report.read on the plan’s root (or on the county with org=). Example: GET /api/v1/reports/assessment?period=2024&format=html',
        tags: ['evaluation'],
        querystring: s.jsonSchema(reportQuery),
        produces: ['text/html', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (request, reply) => {
      const q = reportQuery.parse(request.query);
      const r = await assessmentReport(store, request.ctx, {
        period: q.period,
        org: q.org,
        format: q.format,
        language: q.lang,
      });
      return reply
        .header('content-type', r.contentType)
        .header('content-disposition', `${q.format === 'html' ? 'inline' : 'attachment'}; filename="${r.fileName}"`)
        .send(r.body);
    },
  );
}
