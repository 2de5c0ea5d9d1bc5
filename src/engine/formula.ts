/**
 * Formula indicators: a safe arithmetic expression over other indicators of the same org unit and
 * period, e.g. `INC_URBAN_PC / INC_RURAL_PC` (城乡居民收入倍差). Parsed once by a recursive-descent
 * parser into an AST — no `eval`, no `new Function` — and evaluated vectorised over Float64Arrays.
 *
 * Grammar (usual precedence; binary operators associate to the left, so 2-3-4 = -5 and 2/2/2 = 0.5):
 *   expression := term (('+' | '-') term)*
 *   term       := unary (('*' | '/') unary)*
 *   unary      := ('-' | '+') unary | primary
 *   primary    := number | CODE | function '(' expression (',' expression)* ')' | '(' expression ')'
 * Numbers: 12, 0.5, .5, 1e-3. Codes: `[A-Z][A-Z0-9_]*` (indicator codes). Functions (lower case):
 * min(a, b, …), max(a, b, …), abs(x), ln(x), exp(x), sqrt(x), pow(a, b).
 *
 * Values: NaN (missing) propagates through every operation and function — pow(NaN, 0) is NaN too.
 * Division by zero gives NaN, not Infinity, and so does any other result that is not a finite number
 * (ln(0), sqrt(−1), pow(0, −1), an overflow): a formula value is a finite number or missing.
 *
 * Errors (`FormulaError`) give the 1-based column and what was expected there, e.g.
 * "unexpected ')' at column 14: expected a number, an indicator code, a function or '('". A set of
 * formulas is ordered so that each comes after the formulas it uses (`formulaOrder`); a cycle is a
 * `FormulaCycleError` that names it.
 */

export const FORMULA_FUNCTIONS = ['min', 'max', 'abs', 'ln', 'exp', 'sqrt', 'pow'] as const;
export type FormulaFunction = (typeof FORMULA_FUNCTIONS)[number];
export type BinaryOperator = '+' | '-' | '*' | '/';

/** Arguments each function takes: [least, most]. */
const ARITY: Readonly<Record<FormulaFunction, readonly [number, number]>> = {
  min: [1, Infinity],
  max: [1, Infinity],
  abs: [1, 1],
  ln: [1, 1],
  exp: [1, 1],
  sqrt: [1, 1],
  pow: [2, 2],
};

/** A node of the AST; `column` (1-based) is where it starts in the expression. */
export type FormulaNode =
  | { readonly kind: 'number'; readonly value: number; readonly column: number }
  | { readonly kind: 'code'; readonly code: string; readonly column: number }
  | { readonly kind: 'negate'; readonly operand: FormulaNode; readonly column: number }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOperator;
      readonly left: FormulaNode;
      readonly right: FormulaNode;
      readonly column: number;
    }
  | {
      readonly kind: 'call';
      readonly fn: FormulaFunction;
      readonly args: readonly FormulaNode[];
      readonly column: number;
    };

export interface Formula {
  readonly expression: string;
  readonly ast: FormulaNode;
  /** The indicator codes it refers to, each once, in order of first appearance. */
  readonly codes: readonly string[];
}

/** A formula that does not parse, or cannot be evaluated; `column` is 1-based (0: not about a place). */
export class FormulaError extends SyntaxError {
  override name = 'FormulaError';
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Formula indicators that refer to each other in a cycle; `cycle` is [A, B, …, A]. */
export class FormulaCycleError extends Error {
  override name = 'FormulaCycleError';
  constructor(readonly cycle: readonly string[]) {
    super(`formula indicators refer to each other in a cycle: ${cycle.join(' → ')}`);
  }
}

type Token =
  | { type: 'number'; value: number; text: string; column: number }
  | { type: 'name'; text: string; column: number }
  | { type: 'op'; text: '+' | '-' | '*' | '/' | '(' | ')' | ','; column: number }
  | { type: 'end'; text: ''; column: number };

/** Characters people type for an operator, with what to write instead. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  '（': "'('",
  '）': "')'",
  '，': "','",
  '×': "'*'",
  '÷': "'/'",
  '－': "'-'",
  '＋': "'+'",
  '−': "'-'",
  '^': 'pow(a, b)',
  '%': 'a fraction (0.05 for 5%): rates are stored as fractions',
};

const NAMES = `functions are ${FORMULA_FUNCTIONS.join(', ')}`;
const OPERAND = "a number, an indicator code, a function or '('";

function describeToken(t: Token): string {
  return t.type === 'end' ? 'the end of the formula' : `'${t.text}' at column ${t.column}`;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const number = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
  const name = /[A-Za-z_][A-Za-z0-9_]*/y;
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i]!;
    const column = i + 1;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    number.lastIndex = i;
    let m = number.exec(expression);
    if (m) {
      // "2x", "1.2.3": a number glued to more of a number or a name is a typo, not two operands.
      const after = expression[i + m[0].length];
      if (after !== undefined && /[A-Za-z0-9_.]/.test(after))
        throw new FormulaError(`malformed number '${m[0]}${after}…' at column ${column}`, column);
      tokens.push({ type: 'number', value: Number(m[0]), text: m[0], column });
      i += m[0].length;
      continue;
    }
    name.lastIndex = i;
    m = name.exec(expression);
    if (m) {
      tokens.push({ type: 'name', text: m[0], column });
      i += m[0].length;
      continue;
    }
    if ('+-*/(),'.includes(ch)) {
      tokens.push({ type: 'op', text: ch as '+' | '-' | '*' | '/' | '(' | ')' | ',', column });
      i++;
      continue;
    }
    const instead = LOOKALIKES[ch];
    throw new FormulaError(
      `unexpected '${ch}' at column ${column}` + (instead ? `: write ${instead}` : ': not part of a formula'),
      column,
    );
  }
  tokens.push({ type: 'end', text: '', column: expression.length + 1 });
  return tokens;
}

/** Deeper nesting than this is refused (a formula is short; this keeps the call stack safe). */
const MAX_DEPTH = 100;

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.type === 'op' && t.text === text;
  }

  parse(): FormulaNode {
    const node = this.expression();
    const t = this.peek();
    if (t.type === 'op' && t.text === ')')
      throw new FormulaError(`unexpected ')' at column ${t.column}: there is no '(' to close`, t.column);
    if (t.type !== 'end')
      throw new FormulaError(`unexpected '${t.text}' at column ${t.column}: expected an operator or the end`, t.column);
    return node;
  }

  private expression(): FormulaNode {
    if (++this.depth > MAX_DEPTH)
      throw new FormulaError(`the formula is nested too deeply (more than ${MAX_DEPTH} levels)`, this.peek().column);
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next() as Token & { text: BinaryOperator };
      left = { kind: 'binary', op: op.text, left, right: this.term(), column: left.column };
    }
    this.depth--;
    return left;
  }

  private term(): FormulaNode {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next() as Token & { text: BinaryOperator };
      left = { kind: 'binary', op: op.text, left, right: this.unary(), column: left.column };
    }
    return left;
  }

  private unary(): FormulaNode {
    if (this.isOp('-') || this.isOp('+')) {
      const sign = this.next();
      if (++this.depth > MAX_DEPTH)
        throw new FormulaError(`the formula is nested too deeply (more than ${MAX_DEPTH} levels)`, sign.column);
      const operand = this.unary();
      this.depth--;
      return sign.text === '-' ? { kind: 'negate', operand, column: sign.column } : operand;
    }
    return this.primary();
  }

  private primary(): FormulaNode {
    const t = this.next();
    if (t.type === 'number') return { kind: 'number', value: t.value, column: t.column };
    if (t.type === 'op' && t.text === '(') {
      const inner = this.expression();
      const close = this.next();
      if (close.type !== 'op' || close.text !== ')')
        throw new FormulaError(
          `expected ')' to close the '(' at column ${t.column}, found ${describeToken(close)}`,
          close.column,
        );
      return inner;
    }
    if (t.type === 'name') return this.name(t);
    throw new FormulaError(`unexpected ${describeToken(t)}: expected ${OPERAND}`, t.column);
  }

  private name(t: Token & { type: 'name' }): FormulaNode {
    const isCall = this.isOp('(');
    const fn = FORMULA_FUNCTIONS.find((f) => f === t.text);
    if (fn && isCall) return this.call(fn, t.column);
    if (fn) throw new FormulaError(`${fn} at column ${t.column} is a function: write ${fn}(…)`, t.column);
    const lower = t.text.toLowerCase();
    if (isCall && FORMULA_FUNCTIONS.some((f) => f === lower))
      throw new FormulaError(`unknown function '${t.text}' at column ${t.column}: write ${lower}`, t.column);
    if (isCall) throw new FormulaError(`unknown function '${t.text}' at column ${t.column}: ${NAMES}`, t.column);
    if (/^[A-Z][A-Z0-9_]*$/.test(t.text)) return { kind: 'code', code: t.text, column: t.column };
    throw new FormulaError(
      `unknown name '${t.text}' at column ${t.column}: indicator codes are upper-case letters, digits and _ (INC_PC)`,
      t.column,
    );
  }

  private call(fn: FormulaFunction, column: number): FormulaNode {
    this.next(); // '('
    const args: FormulaNode[] = [];
    if (this.isOp(')')) this.next();
    else {
      for (;;) {
        args.push(this.expression());
        const sep = this.next();
        if (sep.type === 'op' && sep.text === ')') break;
        if (sep.type === 'op' && sep.text === ',') continue;
        throw new FormulaError(
          `expected ',' or ')' in ${fn}(…) at column ${column}, found ${describeToken(sep)}`,
          sep.column,
        );
      }
    }
    const [least, most] = ARITY[fn];
    if (args.length < least || args.length > most) {
      const wants = least === most ? `${least}` : `at least ${least}`;
      throw new FormulaError(
        `${fn} at column ${column} takes ${wants} argument${least === 1 ? '' : 's'}, not ${args.length}`,
        column,
      );
    }
    return { kind: 'call', fn, args, column };
  }
}

/** The indicator codes in an AST, each once, in order of first appearance. */
export function referencedCodes(node: FormulaNode): string[] {
  const codes = new Set<string>();
  const walk = (n: FormulaNode): void => {
    switch (n.kind) {
      case 'number':
        return;
      case 'code':
        codes.add(n.code);
        return;
      case 'negate':
        return walk(n.operand);
      case 'binary':
        walk(n.left);
        return walk(n.right);
      case 'call':
        return n.args.forEach(walk);
    }
  };
  walk(node);
  return [...codes];
}

/** Parses an expression once; throws a FormulaError with the column and what was expected. */
export function parseFormula(expression: string): Formula {
  const tokens = tokenize(expression);
  if (tokens.length === 1) throw new FormulaError(`the formula is empty: expected ${OPERAND}`, 1);
  const ast = new Parser(tokens).parse();
  return { expression, ast, codes: referencedCodes(ast) };
}

/** A result that is not a finite number is missing: x − x is 0 only for finite x. */
const finite = (x: number) => (x - x === 0 ? x : NaN);

function unaryFn(fn: FormulaFunction, x: number): number {
  switch (fn) {
    case 'abs':
      return Math.abs(x);
    case 'ln':
      return finite(Math.log(x));
    case 'exp':
      return finite(Math.exp(x));
    case 'sqrt':
      return finite(Math.sqrt(x));
    case 'min':
    case 'max':
    case 'pow':
      throw new Error(`${fn} is not a one-argument function`);
  }
}

// NaN must propagate: JavaScript's NaN ** 0 is 1.
const power = (a: number, b: number) => (a !== a || b !== b ? NaN : finite(a ** b));

function binaryOp(op: BinaryOperator, a: number, b: number): number {
  switch (op) {
    case '+':
      return finite(a + b);
    case '-':
      return finite(a - b);
    case '*':
      return finite(a * b);
    case '/':
      return b === 0 ? NaN : finite(a / b);
  }
}

/** A column, or a constant (a subtree without codes is folded into a number). */
type Operand = Float64Array | number;

/** Where a formula's codes find their columns. */
export type FormulaColumns =
  | ReadonlyMap<string, Float64Array>
  | Readonly<Record<string, Float64Array>>
  | ((code: string) => Float64Array | undefined);

function columnGetter(columns: FormulaColumns): (code: string) => Float64Array | undefined {
  if (typeof columns === 'function') return columns;
  if (columns instanceof Map) return (code) => columns.get(code);
  const record = columns as Readonly<Record<string, Float64Array>>;
  return (code) => (Object.prototype.hasOwnProperty.call(record, code) ? record[code] : undefined);
}

/**
 * Evaluates a formula over columns of equal length (cells of the same org units and periods), one
 * column per referenced code; returns a new Float64Array of that length (or fills `out`).
 */
export function evaluateFormula(
  formula: Formula | string,
  columns: FormulaColumns,
  length: number,
  out?: Float64Array,
): Float64Array {
  const f = typeof formula === 'string' ? parseFormula(formula) : formula;
  const get = columnGetter(columns);
  const n = length;
  const result = out ?? new Float64Array(n);
  if (result.length !== n) throw new RangeError(`the output has ${result.length} cells, not ${n}`);

  const evaluate = (node: FormulaNode): Operand => {
    switch (node.kind) {
      case 'number':
        return node.value;
      case 'code': {
        const column = get(node.code);
        if (!column) throw new FormulaError(`no values given for ${node.code} (column ${node.column})`, node.column);
        if (column.length !== n)
          throw new RangeError(`the values of ${node.code} have ${column.length} cells, not ${n}`);
        return column;
      }
      case 'negate': {
        const x = evaluate(node.operand);
        if (typeof x === 'number') return -x;
        const r = new Float64Array(n);
        for (let i = 0; i < n; i++) r[i] = -finite(x[i]!);
        return r;
      }
      case 'binary': {
        const a = evaluate(node.left);
        const b = evaluate(node.right);
        if (typeof a === 'number' && typeof b === 'number') return binaryOp(node.op, a, b);
        return binaryColumns(node.op, a, b, n);
      }
      case 'call': {
        const args = node.args.map(evaluate);
        const fn = node.fn;
        if (fn === 'min' || fn === 'max') {
          const pick = fn === 'min' ? Math.min : Math.max; // NaN in any argument gives NaN
          const picked = args.reduce((acc, x) =>
            typeof acc === 'number' && typeof x === 'number' ? pick(acc, x) : elementwise2(acc, x, n, pick),
          );
          // min(A) alone is A itself: copy it, so that the input is never handed out or changed.
          return args.length === 1 && typeof picked !== 'number' ? finiteCopy(picked) : picked;
        }
        if (fn === 'pow') {
          const [a, b] = args as [Operand, Operand];
          return typeof a === 'number' && typeof b === 'number' ? power(a, b) : elementwise2(a, b, n, power);
        }
        const x = args[0]!;
        return typeof x === 'number' ? unaryFn(fn, x) : unaryColumn(fn, x, n);
      }
    }
  };

  const value = evaluate(f.ast);
  if (typeof value === 'number') result.fill(value);
  // A bare code evaluates to its input column: copy it without infinities; anything else is ours already.
  else result.set(f.ast.kind === 'code' ? finiteCopy(value) : value);
  return result;
}

/** Infinities (ln(0), an overflow, an infinite input) become missing, in place. */
function dropInfinities(r: Float64Array): Float64Array {
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    if (v - v !== 0) r[i] = NaN;
  }
  return r;
}

/** A copy of a column without infinities: input columns are never handed out or changed. */
const finiteCopy = (x: Float64Array) => dropInfinities(Float64Array.from(x));

/** abs, ln, exp or sqrt over a column, one loop per function. */
function unaryColumn(fn: FormulaFunction, x: Float64Array, n: number): Float64Array {
  const r = new Float64Array(n);
  if (fn === 'abs') for (let i = 0; i < n; i++) r[i] = Math.abs(x[i]!);
  else if (fn === 'ln') for (let i = 0; i < n; i++) r[i] = Math.log(x[i]!);
  else if (fn === 'exp') for (let i = 0; i < n; i++) r[i] = Math.exp(x[i]!);
  else if (fn === 'sqrt') for (let i = 0; i < n; i++) r[i] = Math.sqrt(x[i]!);
  else throw new Error(`${fn} is not a one-argument function`);
  return dropInfinities(r);
}

function elementwise2(a: Operand, b: Operand, n: number, op: (x: number, y: number) => number): Float64Array {
  const r = new Float64Array(n);
  if (typeof a === 'number') for (let i = 0; i < n; i++) r[i] = op(a, (b as Float64Array)[i]!);
  else if (typeof b === 'number') for (let i = 0; i < n; i++) r[i] = op(a[i]!, b);
  else for (let i = 0; i < n; i++) r[i] = op(a[i]!, b[i]!);
  return dropInfinities(r); // max(A, 1) with an infinite A
}

/** + − * / over columns, one loop per operator and shape (no call per cell: this is the hot path). */
function binaryColumns(op: BinaryOperator, a: Operand, b: Operand, n: number): Float64Array {
  const r = new Float64Array(n);
  if (typeof a !== 'number' && typeof b !== 'number') {
    switch (op) {
      case '+':
        for (let i = 0; i < n; i++) r[i] = a[i]! + b[i]!;
        break;
      case '-':
        for (let i = 0; i < n; i++) r[i] = a[i]! - b[i]!;
        break;
      case '*':
        for (let i = 0; i < n; i++) r[i] = a[i]! * b[i]!;
        break;
      case '/':
        for (let i = 0; i < n; i++) r[i] = b[i] === 0 ? NaN : a[i]! / b[i]!;
        break;
    }
  } else if (typeof a !== 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        for (let i = 0; i < n; i++) r[i] = a[i]! + b;
        break;
      case '-':
        for (let i = 0; i < n; i++) r[i] = a[i]! - b;
        break;
      case '*':
        for (let i = 0; i < n; i++) r[i] = a[i]! * b;
        break;
      case '/':
        if (b === 0) r.fill(NaN);
        else for (let i = 0; i < n; i++) r[i] = a[i]! / b;
        break;
    }
  } else if (typeof a === 'number' && typeof b !== 'number') {
    switch (op) {
      case '+':
        for (let i = 0; i < n; i++) r[i] = a + b[i]!;
        break;
      case '-':
        for (let i = 0; i < n; i++) r[i] = a - b[i]!;
        break;
      case '*':
        for (let i = 0; i < n; i++) r[i] = a * b[i]!;
        break;
      case '/':
        for (let i = 0; i < n; i++) r[i] = b[i] === 0 ? NaN : a / b[i]!;
        break;
    }
  } else r.fill(binaryOp(op, a as number, b as number));
  return dropInfinities(r); // an overflow, an infinite input
}

/** One value from numbers by code, e.g. to show how a cell's value came about. Missing codes are NaN. */
export function evaluateScalar(formula: Formula | string, values: Readonly<Record<string, number>>): number {
  const f = typeof formula === 'string' ? parseFormula(formula) : formula;
  const columns = new Map(f.codes.map((c) => [c, Float64Array.of(values[c] ?? NaN)]));
  return evaluateFormula(f, columns, 1)[0]!;
}

/**
 * An order in which to compute formula indicators: each after the formula indicators it refers to.
 * Codes that are not in the set (raw indicators, roll-ups) are inputs and impose no order. Ties keep
 * the input order. A cycle, a formula referring to itself included, is a FormulaCycleError; a formula
 * that does not parse is a FormulaError prefixed with its indicator's code.
 */
export function formulaOrder(
  formulas: readonly { readonly code: string; readonly expression: string | Formula }[],
): string[] {
  const refs = new Map<string, readonly string[]>();
  for (const { code, expression } of formulas) {
    if (refs.has(code)) throw new RangeError(`formula indicator ${code} is given more than once`);
    let parsed: Formula;
    try {
      parsed = typeof expression === 'string' ? parseFormula(expression) : expression;
    } catch (e) {
      if (e instanceof FormulaError) throw new FormulaError(`${code}: ${e.message}`, e.column);
      throw e;
    }
    refs.set(code, parsed.codes);
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (code: string): void => {
    const s = state.get(code);
    if (s === 'done') return;
    if (s === 'visiting') throw new FormulaCycleError([...path.slice(path.indexOf(code)), code]);
    state.set(code, 'visiting');
    path.push(code);
    for (const dep of refs.get(code)!) if (refs.has(dep)) visit(dep);
    path.pop();
    state.set(code, 'done');
    order.push(code);
  };
  for (const { code } of formulas) visit(code);
  return order;
}
