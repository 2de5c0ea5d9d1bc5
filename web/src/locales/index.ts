/**
 * Every feature's dictionary (locales/<feature>.ts, `export default { 'zh-CN': {...}, en: {...} }`).
 * Files in this folder are picked up by Vite's glob import; a feature may still add an explicit
 * `import './<feature>';` line here — it is harmless.
 */
export interface Dictionary {
  'zh-CN': Record<string, string>;
  en: Record<string, string>;
}

const modules = import.meta.glob<{ default: Dictionary }>(['./*.ts', '!./index.ts'], { eager: true });

const dictionaries: Dictionary[] = Object.keys(modules)
  .sort()
  .map((k) => modules[k]!.default);
export default dictionaries;
