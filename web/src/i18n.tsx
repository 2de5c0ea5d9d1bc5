/**
 * Languages: Simplified Chinese (default) and English. Dictionaries are per feature in locales/, merged
 * here; t('key', { n: 3 }) fills {n}. A missing key falls back to the other language, then to the key.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setApiLanguage } from './api';
import dictionaries from './locales/index';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export type Vars = Record<string, string | number>;
export type Translate = (key: string, vars?: Vars) => string;

const merged: Record<Locale, Record<string, string>> = { 'zh-CN': {}, en: {} };
for (const d of dictionaries) {
  Object.assign(merged['zh-CN'], d['zh-CN']);
  Object.assign(merged.en, d.en);
}

const STORAGE_KEY = 'gongfu.locale';

function initialLocale(): Locale {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'zh-CN') return fromUrl;
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage may be unavailable (private mode): the default language it is
  }
  return 'zh-CN';
}

export function translate(locale: Locale, key: string, vars?: Vars): string {
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en';
  const text = merged[locale][key] ?? merged[other][key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}

interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t: Translate;
}

const I18nContext = createContext<I18n>({
  locale: 'zh-CN',
  setLocale: () => undefined,
  t: (key, vars) => translate('zh-CN', key, vars),
});

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
    setApiLanguage(locale);
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered across visits, still switched
    }
  }, []);
  const t = useCallback<Translate>((key, vars) => translate(locale, key, vars), [locale]);
  const value = useMemo(() => ({ locale, setLocale, t }), [locale, setLocale, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useT = (): Translate => useContext(I18nContext).t;
export const useLocale = (): Locale => useContext(I18nContext).locale;
export const useSetLocale = (): ((locale: Locale) => void) => useContext(I18nContext).setLocale;

/** A bilingual name from the plan ({ zh, en }) in the user's language. */
export function useName(): (name: { zh: string; en?: string } | string | undefined | null) => string {
  const locale = useLocale();
  return (name) => {
    if (!name) return '';
    if (typeof name === 'string') return name;
    return locale === 'en' ? name.en || name.zh : name.zh;
  };
}
