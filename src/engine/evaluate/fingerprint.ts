/**
 * Fingerprints: a stable hash of an evaluation's inputs, so that a stored result can say which inputs
 * it came from (and a cache can tell whether it is stale). Not cryptographic.
 *
 * Hash: FNV-1a (Fowler–Noll–Vo, 32-bit: offset basis 2166136261, prime 16777619) in two lanes with
 * different offset bases, read out as 16 hex digits after a murmur3 finaliser per lane.
 * - Text (the plan as canonical JSON, codes) goes into both lanes byte by byte (UTF-8), as FNV-1a
 *   defines it.
 * - Float64Arrays go in one 32-bit word at a time (eight times fewer steps than bytes: a province's
 *   1.3 GB of monthly values hashes in about half a second), a double's low word into one lane and its
 *   high word into the other, each step followed by a 13-bit rotation so that a word's high bits (a
 *   double's sign and exponent) reach the low bits of the state — plain word-wise FNV-1a would let two
 *   sign flips cancel. Every NaN hashes as the one canonical NaN, so a missing value is missing
 *   whatever its bit pattern.
 */

const FNV_PRIME = 16777619;
const BASIS_A = 2166136261;
const BASIS_B = 0x050c5d1f;

const rotl13 = (x: number) => (x << 13) | (x >>> 19);

/** murmur3's 32-bit finaliser: every input bit reaches every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const encoder = new TextEncoder();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The words of the canonical NaN (0x7ff8000000000000), low then high. */
const NAN_LOW = 0;
const NAN_HIGH = 0x7ff80000;

export class Hasher {
  private a = BASIS_A;
  private b = BASIS_B;

  /** UTF-8 bytes of a string, then a separator so that ('ab', 'c') ≠ ('a', 'bc'). */
  text(s: string): this {
    const bytes = encoder.encode(s);
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < bytes.length; i++) {
      a = Math.imul(a ^ bytes[i]!, FNV_PRIME);
      b = Math.imul(b ^ bytes[i]!, FNV_PRIME);
    }
    this.a = Math.imul(a ^ 0xff, FNV_PRIME);
    this.b = Math.imul(b ^ 0xfe, FNV_PRIME);
    return this;
  }

  number(x: number): this {
    return this.floats(Float64Array.of(x));
  }

  /** The values of a Float64Array, NaN canonical; the length goes in too. */
  floats(values: Float64Array): this {
    const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
    const lo = LITTLE_ENDIAN ? 0 : 1;
    const hi = 1 - lo;
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < values.length; i++) {
      let w0 = words[2 * i + lo]!;
      let w1 = words[2 * i + hi]!;
      // Exponent all ones and a non-zero fraction: a NaN, whatever its payload and sign.
      if ((w1 & 0x7ff00000) === 0x7ff00000 && ((w1 & 0xfffff) | w0) !== 0) {
        w0 = NAN_LOW;
        w1 = NAN_HIGH;
      }
      a = rotl13(Math.imul(a ^ w0, FNV_PRIME));
      b = rotl13(Math.imul(b ^ w1, FNV_PRIME));
    }
    this.a = a;
    this.b = b;
    return this.text(`#${values.length}`);
  }

  /** Integers of any typed array (indices, flags), with the length. */
  integers(values: ArrayLike<number>): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < values.length; i++) {
      const w = values[i]! | 0;
      a = rotl13(Math.imul(a ^ w, FNV_PRIME));
      b = rotl13(Math.imul(b ^ w, FNV_PRIME));
    }
    this.a = a;
    this.b = b;
    return this.text(`#${values.length}`);
  }

  /** 16 hex digits. */
  digest(): string {
    return fmix(this.a).toString(16).padStart(8, '0') + fmix(this.b).toString(16).padStart(8, '0');
  }
}

/**
 * JSON with object keys sorted at every level, so that the same plan read twice (or built in another
 * key order) hashes the same. `undefined` members are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

export const hashText = (s: string) => new Hasher().text(s).digest();
