/** Files: the Excel template, imports of templates, sheets and CSV, exports, household microdata. */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EXCHANGE_FORMATS } from '../../exchange/index.js';
import { AppError } from '../../services/errors.js';
import * as imports from '../../services/imports.js';
import { importHouseholdsText } from '../../services/microdata.js';
import type { RouteDeps } from '../route.js';
import * as s from '../schemas.js';

const IMPORT_EXAMPLE = {
  file: 'dhis2.json',
  rows: 2,
  saved: 2,
  changed: 2,
  rejected: [],
  warnings: [],
  template: null,
};

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

/** The value file and, for the exchange formats, an optional mapping part (a file or a field named "mapping"). */
async function uploadWithMapping(
  request: FastifyRequest,
): Promise<{ fileName: string; buffer: Buffer; mapping?: { fileName: string; text: string } }> {
  let file: { fileName: string; buffer: Buffer } | undefined;
  let mapping: { fileName: string; text: string } | undefined;
  for await (const part of request.parts({ limits: { fileSize: UPLOAD_LIMIT, files: 2 } })) {
    if (part.type === 'file') {
      const buffer = await part.toBuffer();
      if (part.file.truncated)
        throw new AppError('INVALID_FILE', `${part.filename} is larger than ${UPLOAD_LIMIT / 1024 / 1024} MB`);
      if (part.fieldname === 'mapping') mapping = { fileName: part.filename, text: buffer.toString('utf8') };
      else file = { fileName: part.filename, buffer };
    } else if (part.fieldname === 'mapping' && typeof part.value === 'string')
      mapping = { fileName: 'mapping', text: part.value };
  }
  if (!file) throw new AppError('INVALID_INPUT', 'send the file as multipart/form-data in a field named "file"');
  return { ...file, ...(mapping && { mapping }) };
}

const exchangeImportQuery = s.importQuery.extend({
  format: z
    .enum(EXCHANGE_FORMATS)
    .optional()
    .describe(
      'An exchange format: open-sdg (Open SDG data CSV), sdmx (SDMX-CSV 1.0/2.0), dhis2 (dataValueSets JSON); default: told from the file',
    ),
  indicator: z.string().optional().describe('Open SDG: the indicator of the file (default: from indicator_<code>.csv)'),
});
const exchangeExportQuery = s.exportQuery.extend({
  format: z
    .enum(['csv', 'xlsx', ...EXCHANGE_FORMATS])
    .default('csv')
    .describe(
      'csv, xlsx, or an exchange format: open-sdg (needs indicator), sdmx (SDMX-CSV 2.0), dhis2 (dataValueSets JSON, idScheme CODE)',
    ),
});

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
        summary:
          'Import a filled template, a value sheet (.xlsx), a long or wide CSV, or an exchange file (Open SDG CSV, SDMX-CSV, DHIS2 JSON) (multipart field "file", optional "mapping")',
        description:
          'All or nothing unless partial=true. DHIS2 uids are mapped to Gongfu codes by a mapping part (CSV type,external_id,code or JSON {"dataElements":{…},"orgUnits":{…}}); without one, ids are read as codes. Example: curl -H "Authorization: Bearer gft_…" -F file=@dhis2.json -F mapping=@dhis2-mapping.csv "…/api/v1/data/import?format=dhis2"',
        tags,
        querystring: s.jsonSchema(exchangeImportQuery),
        consumes: ['multipart/form-data'],
        response: { 200: { ...s.jsonSchema(s.importResult), examples: [IMPORT_EXAMPLE] } },
      },
    },
    async (request) => {
      const q = exchangeImportQuery.parse(request.query);
      const { fileName, buffer, mapping } = await uploadWithMapping(request);
      const source = imports.importSourceFor(fileName, buffer, {
        format: q.format,
        mapping: mapping ? imports.readMapping(mapping.text, mapping.fileName) : undefined,
        indicator: q.indicator,
      });
      const result = await imports.importValues(store, request.ctx, fileName, source, {
        partial: q.partial === 'true',
      });
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
        summary:
          'Export the values I may read: CSV or XLSX (with status, vintage, source and the synthetic mark), or Open SDG, SDMX-CSV or DHIS2 JSON',
        description: 'Example: GET /api/v1/data/export?format=sdmx&orgUnit=330782&period=2024',
        tags,
        querystring: s.jsonSchema(exchangeExportQuery),
      },
    },
    async (request, reply) => {
      const q = exchangeExportQuery.parse(request.query);
      const { format, ...filter } = q;
      if (format !== 'csv' && format !== 'xlsx') {
        if (format === 'open-sdg' && !filter.indicator)
          throw new AppError('INVALID_INPUT', 'an Open SDG data file holds one indicator: add indicator=CODE');
        const [file] = await imports.exportExchange(store, request.ctx, format, filter);
        const out = file ?? { name: `${filter.indicator ?? 'gongfu'}-empty`, contentType: 'text/plain', content: '' };
        return reply
          .header('content-type', out.contentType)
          .header('content-disposition', `attachment; filename="${out.name}"`)
          .send(out.content);
      }
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
