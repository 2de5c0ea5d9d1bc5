/** Files: the Excel template, imports of templates, sheets and CSV, exports, household microdata. */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../services/errors.js';
import * as imports from '../../services/imports.js';
import { importHouseholdsText } from '../../services/microdata.js';
import type { RouteDeps } from '../route.js';
import * as s from '../schemas.js';

/** Uploads above this are refused (a year of a province's monthly figures as CSV is well under it). */
export const UPLOAD_LIMIT = 200 * 1024 * 1024;

async function upload(request: FastifyRequest): Promise<{ fileName: string; buffer: Buffer }> {
  const file = await request.file({ limits: { fileSize: UPLOAD_LIMIT, files: 1 } });
  if (!file) throw new AppError('INVALID_INPUT', 'send the file as multipart/form-data in a field named "file"');
  const buffer = await file.toBuffer();
  if (file.file.truncated)
    throw new AppError('INVALID_FILE', `${file.filename} is larger than ${UPLOAD_LIMIT / 1024 / 1024} MB`);
  return { fileName: file.filename, buffer };
}

export async function fileRoutes(app: FastifyInstance, { store }: RouteDeps): Promise<void> {
  await app.register(multipart, { limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 5 } });
  const tags = ['data'];

  app.get(
    '/api/v1/data/template',
    {
      schema: {
        summary: "The reporter's Excel template for a unit and period (.xlsx)",
        tags,
        querystring: s.jsonSchema(s.templateQuery),
      },
    },
    async (request, reply) => {
      const q = s.templateQuery.parse(request.query);
      const { fileName, buffer } = await imports.templateWorkbook(store, request.ctx, q.orgUnit, q.period, q.lang);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(buffer);
    },
  );

  app.post(
    '/api/v1/data/import',
    {
      schema: {
        summary: 'Import a filled template, a value sheet (.xlsx) or a long or wide CSV (multipart field "file")',
        tags,
        querystring: s.jsonSchema(s.importQuery),
        consumes: ['multipart/form-data'],
        response: { 200: s.jsonSchema(s.importResult) },
      },
    },
    async (request) => {
      const q = s.importQuery.parse(request.query);
      const { fileName, buffer } = await upload(request);
      const kind = imports.sourceKind(fileName, buffer.subarray(0, 4));
      const result = await imports.importValues(
        store,
        request.ctx,
        fileName,
        kind === 'xlsx' ? { kind, buffer } : { kind, source: buffer },
        { partial: q.partial === 'true' },
      );
      return {
        ...result,
        template: result.template ? { orgUnit: result.template.orgUnit, period: result.template.period } : null,
      };
    },
  );

  app.get(
    '/api/v1/data/export',
    {
      schema: {
        summary: 'Export the values I may read (CSV or XLSX), with status, vintage, source and the synthetic mark',
        tags,
        querystring: s.jsonSchema(s.exportQuery),
      },
    },
    async (request, reply) => {
      const q = s.exportQuery.parse(request.query);
      const { format, ...filter } = q;
      if (format === 'xlsx')
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', 'attachment; filename="gongfu-data.xlsx"')
          .send(await imports.exportValuesXlsx(store, request.ctx, filter));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="gongfu-data.csv"')
        .send(await imports.exportValuesCsv(store, request.ctx, filter));
    },
  );

  app.post(
    '/api/v1/microdata/import',
    {
      schema: {
        summary:
          'Import household survey records (CSV: household_id,org_unit,year,urban_rural,size,disposable_income,weight)',
        tags: ['data'],
        querystring: s.jsonSchema(s.importQuery),
        consumes: ['multipart/form-data'],
        response: { 200: s.jsonSchema(s.microdataResult) },
      },
    },
    async (request) => {
      const q = s.importQuery.parse(request.query);
      const { fileName, buffer } = await upload(request);
      if (imports.sourceKind(fileName, buffer.subarray(0, 4)) !== 'csv')
        throw new AppError('INVALID_FILE', 'household records come as a CSV file');
      return importHouseholdsText(store, request.ctx, buffer.toString('utf8'), fileName, {
        partial: q.partial === 'true',
      });
    },
  );
}
