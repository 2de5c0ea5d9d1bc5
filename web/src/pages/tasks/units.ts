/**
 * The units a task or problem is about, by name: the city, its counties and the departments (three
 * small requests, cached for the session), for filters and for showing a code as a name.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useLocale } from '../../i18n';

interface OrgUnit {
  code: string;
  name: string;
  nameEn: string | null;
  kind: 'region' | 'department';
  level: string;
}

export interface UnitDirectory {
  /** City first, then counties, then departments. */
  units: OrgUnit[];
  name(code: string | null | undefined): string;
}

let cache: Promise<OrgUnit[]> | undefined;

function loadUnits(): Promise<OrgUnit[]> {
  cache ??= (async () => {
    const [cities, departments] = await Promise.all([
      api.get<{ items: OrgUnit[] }>('/org-units', { level: 'city', kind: 'region' }),
      api.get<{ items: OrgUnit[] }>('/org-units', { kind: 'department' }),
    ]);
    const counties = await Promise.all(
      cities.items.map((c) => api.get<{ items: OrgUnit[] }>('/org-units', { parent: c.code, kind: 'region' })),
    );
    return [...cities.items, ...counties.flatMap((c) => c.items), ...departments.items];
  })().catch((e: unknown) => {
    cache = undefined;
    throw e;
  });
  return cache;
}

export function useUnitDirectory(): UnitDirectory {
  const locale = useLocale();
  const [units, setUnits] = useState<OrgUnit[]>([]);
  useEffect(() => {
    let live = true;
    loadUnits().then(
      (u) => live && setUnits(u),
      () => undefined, // names fall back to codes
    );
    return () => {
      live = false;
    };
  }, []);
  const byCode = new Map(units.map((u) => [u.code, u]));
  return {
    units,
    name: (code) => {
      if (!code) return '—';
      const u = byCode.get(code);
      if (!u) return code;
      return locale === 'en' && u.nameEn ? u.nameEn : u.name;
    },
  };
}
