import type { FieldValue } from '../../model/event.js';
import { TEXT_FIELDS } from './catalog.js';

/**
 * Token bloom filters: a skip index for needle searches. Every block of up to BLOCK_ROWS rows of a
 * partition gets a bloom filter of the tokens of its text fields (lower-cased maximal runs of letters,
 * digits and underscores: the tokens query terms match, see src/query/analyze.ts). A term or phrase
 * search scans only the blocks whose filter may hold all its tokens, as ClickHouse's tokenbf_v1 and
 * VictoriaLogs' bloom filters do. Rows form blocks in `_seq` order, so a block is a `_seq` range and
 * DuckDB's zone maps skip the row groups outside the candidate ranges.
 */

export const BLOCK_ROWS = 16_384;
/**
 * A block's filter is built at 2^20 bits (128 KiB) and folded in half when sealed, as long as it
 * keeps at least BITS_PER_ENTRY bits per entry: busy blocks keep room (tokens and adjacent token
 * pairs go in, and pairs of random numbers are many), quiet ones shrink. A rare token's search
 * scans every false-positive block, so this rate, not the block size, sets its cost on large
 * partitions. With 10.4 to 20.8 bits per entry, seven hashes pass an absent token 0.02–0.7 % of
 * the time where the three of earlier versions passed it 0.2–1.6 % (1.0 % on average over the demo
 * data's blocks); filters written with three hashes keep them (`hashes`). At 50 % fill with three
 * hashes (up to 12.5 %) the filters took half the bytes and rare-token searches scanned several
 * times more rows.
 */
export const BLOOM_BITS = 1 << 20;
const MIN_BITS = 1 << 14;
/** Hashes per entry of new filters. */
export const BLOOM_HASHES = 7;
/** The fill three hashes reach at 10.4 bits per entry (25 %): filters fold while they stay below it. */
const BITS_PER_ENTRY_FILL3 = 0.25;

/** The fill `hashes` hashes reach at the bits per entry three hashes have at 25 % fill. */
function targetFill(hashes: number): number {
  return 1 - (1 - BITS_PER_ENTRY_FILL3) ** (hashes / 3);
}

export class TokenBloom {
  readonly bits: Uint8Array;
  rows = 0;

  constructor(
    public seqLo: number,
    public seqHi: number,
    bits?: Uint8Array,
    /** Bits set per entry (persisted filters keep the count they were written with). */
    readonly hashes: number = BLOOM_HASHES,
  ) {
    this.bits = bits ?? new Uint8Array(BLOOM_BITS / 8);
  }

  /** Folds the filter in half while it stays sparse enough (a bit index is the hash modulo the size). */
  seal(): TokenBloom {
    let bits = this.bits;
    let fill = countBits(bits) / (bits.length * 8);
    const target = targetFill(this.hashes);
    while (bits.length * 8 > MIN_BITS && 1 - (1 - fill) ** 2 <= target) {
      const half = bits.length / 2;
      const folded = bits.slice(0, half);
      for (let i = 0; i < half; i++) folded[i]! |= bits[half + i]!;
      bits = folded;
      fill = 1 - (1 - fill) ** 2;
    }
    if (bits === this.bits) return this;
    const sealed = new TokenBloom(this.seqLo, this.seqHi, bits, this.hashes);
    sealed.rows = this.rows;
    return sealed;
  }

  get full(): boolean {
    return this.rows >= BLOCK_ROWS;
  }

  /** Counts a row into the block; its text goes in with addText. */
  addRow(seq: number): void {
    if (this.rows === 0) this.seqLo = seq;
    if (seq > this.seqHi) this.seqHi = seq;
    this.rows++;
  }

  /** Adds the tokens of one text value (and its adjacent token pairs). */
  addText(text: string): void {
    const hashes = new HashBuffer();
    textHashes(text, hashes);
    this.addHashes(hashes.data, 0, hashes.length);
  }

  /** Adds token hashes made by textHashes: (h1, h2) pairs in `hashes[from..to)`. */
  addHashes(hashes: ArrayLike<number>, from: number, to: number): void {
    const { bits, hashes: k } = this;
    for (let i = from; i < to; i += 2) setToken(bits, k, hashes[i]!, hashes[i + 1]!);
  }

  /** Whether every token may occur in the block. */
  mayContainAll(tokens: readonly TokenHash[]): boolean {
    for (const t of tokens) if (!hasToken(this.bits, this.hashes, t.h1, t.h2)) return false;
    return true;
  }
}

const WORD = /[\p{L}\p{N}_]/u;

export interface TokenHash {
  h1: number;
  h2: number;
}

const H1 = 0x811c9dc5;
const H2 = 0x01000193;
const P1 = 0x01000193;
const P2 = 0x5bd1e995;

/** Hashes a query token (one maximal run of word characters) exactly as addText hashes it in a value. */
export function hashToken(token: string): TokenHash {
  let h1 = H1;
  let h2 = H2;
  for (const ch of token) {
    const lower = ch.toLowerCase();
    for (let j = 0; j < lower.length; j++) {
      h1 = Math.imul(h1 ^ lower.charCodeAt(j), P1);
      h2 = Math.imul(h2 ^ lower.charCodeAt(j), P2);
    }
  }
  return { h1, h2 };
}

/** The hash of two adjacent tokens, from their hashes. */
export function pair(a: number, b: number): number {
  return Math.imul(a ^ 0x9e3779b9, P2) ^ b;
}

/** Per ASCII code: its lower-case form when it is a word character (letter, digit, `_`), else 0. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const lower = c >= 65 && c <= 90 ? c + 32 : c;
  if ((lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) || lower === 95) ASCII_WORD[c] = lower;
}

/**
 * Appends to `out` the (h1, h2) hashes of the tokens of one text value and of each pair of adjacent
 * tokens: what a block's filter holds for it. Separate from the filter so that the hashing (the
 * costly part) can run on an ingest worker thread and the bits be set where the block lives.
 */
export function textHashes(text: string, out: HashBuffer): void {
  let h1 = H1;
  let h2 = H2;
  let len = 0;
  let prev1 = 0;
  let prev2 = 0;
  let hasPrev = false;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (c < 128) {
      const lower = ASCII_WORD[c]!;
      if (lower !== 0) {
        h1 = Math.imul(h1 ^ lower, P1);
        h2 = Math.imul(h2 ^ lower, P2);
        len++;
        continue;
      }
    } else {
      // Non-ASCII: Unicode classes and lower-casing per code point, as hashToken does.
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      if (cp > 0xffff) i++;
      if (WORD.test(ch)) {
        const lower = ch.toLowerCase();
        for (let j = 0; j < lower.length; j++) {
          h1 = Math.imul(h1 ^ lower.charCodeAt(j), P1);
          h2 = Math.imul(h2 ^ lower.charCodeAt(j), P2);
        }
        len++;
        continue;
      }
    }
    if (len > 0) {
      out.push(h1, h2);
      if (hasPrev) out.push(pair(prev1, h1), pair(prev2, h2));
      prev1 = h1;
      prev2 = h2;
      hasPrev = true;
      h1 = H1;
      h2 = H2;
      len = 0;
    }
  }
}

/** Hashes of the tokens of one term or phrase and of each adjacent pair, as addText sets them. */
export function hashPhrase(tokens: readonly string[]): TokenHash[] {
  const singles = tokens.map(hashToken);
  const out = [...singles];
  for (let i = 1; i < singles.length; i++) {
    out.push({ h1: pair(singles[i - 1]!.h1, singles[i]!.h1), h2: pair(singles[i - 1]!.h2, singles[i]!.h2) });
  }
  return out;
}

function countBits(bits: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bits.length; i++) {
    let x = bits[i]!;
    while (x) {
      x &= x - 1;
      n++;
    }
  }
  return n;
}

function setToken(bits: Uint8Array, k: number, h1: number, h2: number): void {
  const mask = bits.length * 8 - 1;
  for (let i = 0; i < k; i++) {
    const bit = (h1 + Math.imul(i, h2 | 1)) & mask;
    bits[bit >>> 3]! |= 1 << (bit & 7);
  }
}

function hasToken(bits: Uint8Array, k: number, h1: number, h2: number): boolean {
  const mask = bits.length * 8 - 1;
  for (let i = 0; i < k; i++) {
    const bit = (h1 + Math.imul(i, h2 | 1)) & mask;
    if ((bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

/** Appends the token hashes of an event's text fields (what addRow indexes) to `out`. */
export function textFieldHashes(fields: Record<string, FieldValue>, out: HashBuffer): void {
  for (const name of TEXT_FIELDS) {
    const value = fields[name];
    if (typeof value === 'string') textHashes(value, out);
    else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') textHashes(v, out);
  }
}

/** A growable list of int32 token hashes (cheaper than a JS array of numbers, and transferable). */
export class HashBuffer {
  data = new Int32Array(1024);
  length = 0;

  push(h1: number, h2: number): void {
    if (this.length + 2 > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = h1;
    this.data[this.length++] = h2;
  }

  /** The hashes pushed so far (a view, no copy). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
