/**
 * The plan text as published: the copy in plans/<plan>/source/ was machine-converted to Traditional
 * Chinese with Taiwan vocabulary. This restores Simplified characters and the mainland terms of the
 * original, so that `source` quotes in the plan file can be checked against it.
 *
 * Run: npx tsx scripts/plan-text.ts [FILE]  → the restored text on standard output.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js';

/** Taiwan terms of the copy → the mainland terms of the original (see source/README.md). Longest first. */
const MAINLAND_TERMS: [string, string][] = [
  ['網際網路', '互联网'],
  ['智慧財產權', '知识产权'],
  ['數位技術', '数字技术'],
  ['數位化', '数字化'],
  ['數位', '数字'],
  ['最佳化', '优化'],
  ['智慧型', '智能'],
  ['資料庫', '数据库'],
  ['格線員', '网格员'],
  ['格線', '网格'],
  ['幼稚園', '幼儿园'],
  ['套用', '应用'],
  ['網路', '网络'],
  ['軟體', '软件'],
  ['民眾', '群众'],
  ['貨櫃', '集装箱'],
  ['連線', '连接'],
  // 中國小商品城 is 中国 + 小商品城, not a primary school (国小).
  ['中國小商品', '中国小商品'],
  ['國小', '小学'],
  ['詐欺', '诈骗'],
  ['計畫', '计划'],
  ['疊代', '迭代'],
  ['視窗', '窗口'],
  ['檔案', '文件'],
  ['經濟成長', '经济增长'],
];

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

export function restorePlanText(traditional: string): string {
  let text = traditional;
  for (const [from, to] of MAINLAND_TERMS) text = text.replaceAll(from, to);
  return toSimplified(text);
}

/** Text normalised for quote matching: ASCII and full-width punctuation compared alike, no spaces. */
export function normaliseForQuote(text: string): string {
  return text
    .replace(/[，]/g, ',')
    .replace(/[；]/g, ';')
    .replace(/[：]/g, ':')
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')')
    .replace(/[“”"]/g, '"')
    .replace(/\s+/g, '');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] ?? new URL('../plans/jinhua-2021-2025/source/plan.zh-Hant.txt', import.meta.url);
  process.stdout.write(restorePlanText(readFileSync(file, 'utf8')));
}
