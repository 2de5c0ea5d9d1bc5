// Checks the committed org-unit data (built by scripts/build-org-units.ts), not the source packages.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, it, expect } from 'vitest';
import { parseCsv } from '../src/ingest/csv.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const planDir = join(root, 'plans/jinhua-2021-2025');

interface Unit {
  code: string;
  name: string;
  level: string;
  parent: string;
  attributes: Record<string, string>;
}

function readUnits(text: string): Unit[] {
  const [header, ...body] = parseCsv(text);
  expect(header).toEqual(['code', 'name', 'level', 'parent', 'attributes']);
  return body.map((r) => {
    expect(r).toHaveLength(5);
    const [code = '', name = '', level = '', parent = '', attrs = ''] = r;
    const attributes: Record<string, string> = {};
    for (const kv of attrs ? attrs.split(';') : []) {
      const [k, v] = kv.split('=');
      if (k === undefined || v === undefined) throw new Error(`bad attribute ${kv} on ${code}`);
      attributes[k] = v;
    }
    return { code, name, level, parent, attributes };
  });
}

const units = readUnits(readFileSync(join(planDir, 'org-units.csv'), 'utf8'));
const byCode = new Map(units.map((u) => [u.code, u]));
const ofLevel = (level: string) => units.filter((u) => u.level === level);

const COUNTIES: Record<string, string> = {
  '330702': '婺城区',
  '330703': '金东区',
  '330723': '武义县',
  '330726': '浦江县',
  '330727': '磐安县',
  '330781': '兰溪市',
  '330782': '义乌市',
  '330783': '东阳市',
  '330784': '永康市',
};
const EXTENT = { minLon: 119.2, maxLon: 120.8, minLat: 28.5, maxLat: 29.7 };

describe('plans/jinhua-2021-2025/org-units.csv', () => {
  it('has 3,456 rows: 1 city, 9 counties, 146 towns, 3,300 villages', () => {
    expect(units).toHaveLength(3456);
    expect(ofLevel('city')).toHaveLength(1);
    expect(ofLevel('county')).toHaveLength(9);
    expect(ofLevel('town')).toHaveLength(146);
    expect(ofLevel('village')).toHaveLength(3300);
  });

  it('has unique codes, sorted', () => {
    expect(byCode.size).toBe(units.length);
    const codes = units.map((u) => u.code);
    expect(codes).toEqual([...codes].sort());
  });

  it('roots at 330700 金华市 under 330000', () => {
    expect(units[0]).toMatchObject({
      code: '330700',
      name: '金华市',
      level: 'city',
      parent: '330000',
    });
  });

  it('has the nine counties with their types, 武义 and 磐安 marked mountain', () => {
    const counties = ofLevel('county');
    expect(Object.fromEntries(counties.map((c) => [c.code, c.name]))).toEqual(COUNTIES);
    for (const c of counties) {
      const type = c.name.endsWith('区') ? 'district' : c.name.endsWith('县') ? 'county' : 'county_city';
      expect(c.attributes.type, c.code).toBe(type);
      expect(c.attributes.mountain === '1', c.code).toBe(c.code === '330723' || c.code === '330727');
    }
  });

  it('has a parent for every unit but 330700, one level up', () => {
    const up: Record<string, string> = {
      county: 'city',
      town: 'county',
      village: 'town',
    };
    for (const u of units) {
      if (u.code === '330700') continue;
      const p = byCode.get(u.parent);
      expect(p, `${u.code} parent ${u.parent}`).toBeDefined();
      expect(p?.level, u.code).toBe(up[u.level]);
    }
  });

  it('nests codes: a village starts with its town code, a town with its county code', () => {
    for (const u of ofLevel('town')) {
      expect(u.code, u.name).toMatch(/^\d{9}$/);
      expect(u.code.slice(0, 6), u.name).toBe(u.parent);
    }
    for (const u of ofLevel('village')) {
      expect(u.code, u.name).toMatch(/^\d{12}$/);
      expect(u.code.slice(0, 9), u.name).toBe(u.parent);
    }
  });

  it('types towns by suffix and marks villages urban or not', () => {
    for (const u of ofLevel('town')) {
      const type = u.name.endsWith('街道')
        ? 'street'
        : u.name.endsWith('镇')
          ? 'town'
          : u.name.endsWith('乡')
            ? 'township'
            : '?';
      expect(u.attributes.type, u.name).toBe(type);
    }
    for (const u of ofLevel('village')) {
      expect(['0', '1'], u.name).toContain(u.attributes.urban);
      if (/居委会$/.test(u.name)) expect(u.attributes.urban, u.name).toBe('1');
      if (/村委会$/.test(u.name)) expect(u.attributes.urban, u.name).toBe('0');
    }
  });
});

describe('data-sets/zhejiang-org-units.csv', () => {
  const plain = join(root, 'data-sets/zhejiang-org-units.csv');
  const gz = `${plain}.gz`;
  const text = existsSync(plain)
    ? readFileSync(plain, 'utf8')
    : existsSync(gz)
      ? gunzipSync(readFileSync(gz)).toString('utf8')
      : null;

  it.runIf(text !== null)('holds the province, 11 cities, 90 counties, and Jinhua exactly as the plan file', () => {
    const zj = readUnits(text!);
    const count = (level: string) => zj.filter((u) => u.level === level).length;
    expect(zj[0]).toMatchObject({
      code: '330000',
      name: '浙江省',
      level: 'province',
      parent: '100000',
    });
    expect(count('city')).toBe(11);
    expect(count('county')).toBe(90);
    const zjByCode = new Map(zj.map((u) => [u.code, u]));
    expect(zjByCode.size).toBe(zj.length);
    expect(zj.filter((u) => u.level !== 'province' && !zjByCode.has(u.parent)).map((u) => u.code)).toEqual([]);
    expect(zj.filter((u) => u.code.startsWith('3307'))).toEqual(units);
  });
});

describe('plans/jinhua-2021-2025/counties.geojson', () => {
  const fc = JSON.parse(readFileSync(join(planDir, 'counties.geojson'), 'utf8')) as {
    type: string;
    features: {
      type: string;
      properties: { code: string; name: string };
      geometry: { type: string; coordinates: unknown };
    }[];
  };

  it('has one feature per county, named as in the CSV', () => {
    expect(fc.type).toBe('FeatureCollection');
    expect(Object.fromEntries(fc.features.map((f) => [f.properties.code, f.properties.name]))).toEqual(COUNTIES);
    expect(fc.features).toHaveLength(9);
  });

  it('has closed Polygon/MultiPolygon rings within Jinhua’s extent, at 5 decimals', () => {
    const bad: string[] = [];
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      const polys = (
        f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
      ) as number[][][][];
      expect(polys.length).toBeGreaterThan(0);
      for (const rings of polys)
        for (const ring of rings) {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          for (const [lon, lat] of ring) {
            const ok =
              lon !== undefined &&
              lat !== undefined &&
              lon >= EXTENT.minLon &&
              lon <= EXTENT.maxLon &&
              lat >= EXTENT.minLat &&
              lat <= EXTENT.maxLat &&
              Math.round(lon * 1e5) / 1e5 === lon &&
              Math.round(lat * 1e5) / 1e5 === lat;
            if (!ok) bad.push(`${f.properties.code} [${lon}, ${lat}]`);
          }
        }
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
});
