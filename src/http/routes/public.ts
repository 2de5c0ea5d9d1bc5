/**
 * Publication (analysts) and the public portal's API (no sign-in): published indicators with their
 * series, targets and statuses, and downloads of published data. The region outlines for the map are
 * public already at GET /api/v1/org-units/boundaries.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EXCHANGE_FORMATS, writeExchange } from '../../exchange/index.js';
import { formatLongCsv } from '../../ingest/values-csv.js';
import { currentPlanId, getPlan } from '../../services/plans.js';
import * as publication from '../../services/publication.js';
import { routeSchema, type RouteDeps } from '../route.js';
import * as s from '../schemas.js';

const publishBody = z
  .object({
    indicator: z.string().min(1),
    periods: z.array(z.string()).min(1).max(500),
  })
  .meta({ examples: [{ indicator: 'INC_PC', periods: ['2023', '2024'] }] });
const publishResult = z.object({ published: z.number().int().describe('Periods newly published') });
const publicationList = z.object({
  items: z.array(
    z.object({
      indicator: z.string(),
      period: z.string(),
      publishedAt: z.string(),
      publishedBy: z.string().nullable(),
      demo: z.boolean(),
    }),
  ),
});
const unpublishParams = z.object({ indicator: z.string(), period: z.string() });

const status = z.enum(['achieved', 'on_track', 'at_risk', 'off_track', 'no_data', 'no_target']).nullable();
const point = z.object({ period: z.string(), value: z.number().nullable(), synthetic: z.boolean() });
const indicatorSummary = z.object({
  code: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
  dimension: z.string(),
  unit: z.string(),
  unitLabel: z.object({ zh: z.string(), en: z.string() }),
  kind: z.string(),
  direction: z.string(),
  periods: z.array(z.string()).describe('Published periods'),
  latest: z.object({ period: z.string(), value: z.number().nullable() }).nullable(),
  status: status.describe("The plan root's status, computed from published values only"),
  synthetic: z.boolean().describe('Some published values are synthetic demo data (示例数据)'),
  demo: z.boolean().describe('Published by the demo set-up, not by an analyst'),
});
const publicList = z.object({ items: z.array(indicatorSummary) });
const publicDetail = indicatorSummary.extend({
  targets: z.array(z.record(z.string(), z.unknown())),
  source: z.string(),
  series: z.array(z.object({ orgUnit: z.string(), name: z.string(), status, points: z.array(point) })),
});
const codeParams = z.object({ code: z.string() });
const downloadQuery = z.object({
  format: z.enum(['csv', 'xlsx', ...EXCHANGE_FORMATS]).default('csv'),
  indicator: z.string().optional().describe('Only this indicator (required for open-sdg)'),
});

export function publicRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  app.post(
    '/api/v1/publications',
    {
      schema: {
        ...routeSchema({
          summary: 'Publish periods of an indicator (value.publish): its approved values become public',
          tags: ['public'],
          body: publishBody,
          response: publishResult,
        }),
      },
    },
    async (request) => publication.publish(store, request.ctx, publishBody.parse(request.body)),
  );
  app.delete(
    '/api/v1/publications/:indicator/:period',
    {
      schema: routeSchema({
        summary: 'Withdraw a published period of an indicator (value.publish)',
        tags: ['public'],
        params: unpublishParams,
        status: 204,
      }),
    },
    async (request, reply) => {
      const p = unpublishParams.parse(request.params);
      await publication.unpublish(store, request.ctx, p.indicator, p.period);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/v1/publications',
    {
      schema: routeSchema({
        summary: 'What is published (indicator × period)',
        tags: ['public'],
        response: publicationList,
      }),
    },
    async () => ({
      items: (await publication.listPublications(store)).map((p) => ({
        ...p,
        publishedAt: p.publishedAt.toISOString(),
      })),
    }),
  );

  app.get(
    '/api/v1/public/indicators',
    { schema: routeSchema({ summary: 'Published indicators (no sign-in)', tags: ['public'], response: publicList }) },
    async () => ({ items: await publication.publicIndicators(store) }),
  );
  app.get(
    '/api/v1/public/indicators/:code',
    {
      schema: routeSchema({
        summary:
          'A published indicator: its series (published periods only), targets and statuses (no sign-in); 404 when unpublished',
        tags: ['public'],
        params: codeParams,
        response: publicDetail,
      }),
    },
    async (request) => publication.publicIndicator(store, codeParams.parse(request.params).code),
  );
  app.get(
    '/api/v1/public/download',
    {
      schema: {
        summary: 'Published data as CSV, XLSX, Open SDG, SDMX-CSV or DHIS2 JSON (no sign-in)',
        description: 'Example: GET /api/v1/public/download?format=csv&indicator=INC_PC',
        tags: ['public'],
        querystring: s.jsonSchema(downloadQuery),
      },
    },
    async (request, reply) => {
      const q = downloadQuery.parse(request.query);
      const rows = await publication.publicValues(store, { indicator: q.indicator });
      const base = `gongfu-published${q.indicator ? `-${q.indicator}` : ''}`;
      if (q.format === 'csv')
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${base}.csv"`)
          .send(
            formatLongCsv(
              rows.map((r) => ({ ...r, status: 'published' })),
              { standing: true },
            ),
          );
      if (q.format === 'xlsx') {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('公开数据 Published', { views: [{ state: 'frozen', ySplit: 1 }] });
        ws.columns = [
          { header: '指标代码 indicator', key: 'indicator', width: 28 },
          { header: '单位代码 org_unit', key: 'orgUnit', width: 14 },
          { header: '期间 period', key: 'period', width: 10 },
          { header: '数值 value', key: 'value', width: 16 },
          { header: '口径 vintage', key: 'vintage', width: 12 },
          { header: '来源 source', key: 'source', width: 40 },
          { header: '示例数据 synthetic', key: 'synthetic', width: 16 },
        ];
        for (const r of rows) ws.addRow({ ...r, synthetic: r.synthetic ? '示例数据 synthetic' : '' });
        ws.getRow(1).font = { bold: true };
        ws.autoFilter = { from: 'A1', to: 'G1' };
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${base}.xlsx"`)
          .send(Buffer.from(await wb.xlsx.writeBuffer()));
      }
      const plan = await getPlan(store, await currentPlanId(store));
      const files = writeExchange(q.format, rows, { plan });
      if (q.format === 'open-sdg' && (!q.indicator || files.length !== 1))
        return reply.status(400).send({
          error: { code: 'INVALID_INPUT', message: 'an Open SDG data file holds one indicator: add indicator=CODE' },
        });
      const f = files[0]!;
      return reply
        .header('content-type', f.contentType)
        .header('content-disposition', `attachment; filename="${f.name}"`)
        .send(f.content);
    },
  );
}
