import { tokenize } from '../../query/analyze.js';
import type { QueryNode } from '../../query/ast.js';
import { TEXT_FIELDS } from './catalog.js';
import {
  BLOCK_ROWS,
  type TokenBloom as Bloom,
  hashPhrase,
  TokenBloom,
  type TokenHash,
  textFieldHashes,
} from './token-bloom.js';

/** A block ready to be written to `_cairn_blooms`. */
export interface PersistableBlock {
  stream: string;
  dayUs: number;
  bloom: Bloom;
}

interface PartitionBlocks {
  stream: string;
  dayUs: number;
  /** Finished or loaded blocks, in `_seq` order. */
  blocks: TokenBloom[];
  /** The block rows go into now. */
  open: TokenBloom | null;
  /** How many of `blocks` are already in `_cairn_blooms`. */
  persisted: number;
  /**
   * Rows written before this process started that no persisted block covers (the previous process
   * stopped before writing its last blocks): always scanned.
   */
  gap: [number, number] | null;
}

/** Candidate blocks above this share of a partition's blocks make pruning pointless. */
export const MAX_CANDIDATE_SHARE = 0.6;
const MAX_RANGES = 4000;

/**
 * The per-partition token blooms (see token-bloom.ts): fed by the encoder as rows are written,
 * persisted with the rows they describe, consulted by queries to restrict scans to `_seq` ranges.
 */
export class SkipIndex {
  private readonly parts = new Map<string, PartitionBlocks>();

  private part(stream: string, dayUs: number): PartitionBlocks {
    const key = `${stream}\u0000${dayUs}`;
    let p = this.parts.get(key);
    if (!p) {
      p = { stream, dayUs, blocks: [], open: null, persisted: 0, gap: null };
      this.parts.set(key, p);
    }
    return p;
  }

  /** Blocks read back from `_cairn_blooms` at start-up, in `_seq` order per partition. */
  restore(stream: string, dayUs: number, bloom: Bloom): void {
    const p = this.part(stream, dayUs);
    p.blocks.push(bloom);
    p.persisted = p.blocks.length;
  }

  /**
   * Marks rows of a partition written by an earlier process that its persisted blocks do not cover:
   * `maxSeq` is the partition's highest sequence number (in its table, or in a log segment still to
   * load). Sequence numbers are global, so a partition that simply took no rows lately is not a gap.
   */
  markGaps(partitions: readonly { stream: string; dayUs: number; maxSeq: number }[]): void {
    for (const { stream, dayUs, maxSeq } of partitions) {
      if (maxSeq <= 0) continue;
      const p = this.part(stream, dayUs);
      const covered = p.blocks.length > 0 ? p.blocks[p.blocks.length - 1]!.seqHi : 0;
      if (covered >= maxSeq) continue;
      p.gap = p.gap ? [Math.min(p.gap[0], covered + 1), Math.max(p.gap[1], maxSeq)] : [covered + 1, maxSeq];
    }
  }

  /**
   * Indexes one row as it is written: `hashes[from..to)` are the token hashes of its text fields
   * (see textHashes and textFieldHashes).
   */
  addRow(
    stream: string,
    dayUs: number,
    seq: number,
    hashes: ArrayLike<number>,
    from: number,
    to: number,
  ): void {
    this.addTo(this.part(stream, dayUs), seq, hashes, from, to);
  }

  /** Indexes rows numbered from `firstSeq`: row k's hashes are `hashes[ends[k-1]..ends[k])`. */
  addRows(
    stream: string,
    dayUs: number,
    firstSeq: number,
    hashes: ArrayLike<number>,
    ends: readonly number[],
  ): void {
    const p = this.part(stream, dayUs);
    let from = 0;
    for (let k = 0; k < ends.length; k++) {
      this.addTo(p, firstSeq + k, hashes, from, ends[k]!);
      from = ends[k]!;
    }
  }

  private addTo(p: PartitionBlocks, seq: number, hashes: ArrayLike<number>, from: number, to: number): void {
    let block = p.open;
    if (!block || block.full) {
      if (block) p.blocks.push(block.seal());
      block = new TokenBloom(seq, seq);
      p.open = block;
    }
    block.addRow(seq);
    block.addHashes(hashes, from, to);
  }

  /** Blocks not yet persisted; with `includeOpen`, the partial open blocks too (at shutdown). */
  takeUnpersisted(includeOpen: boolean): PersistableBlock[] {
    const out: PersistableBlock[] = [];
    for (const p of this.parts.values()) {
      if (includeOpen && p.open && p.open.rows > 0) {
        p.blocks.push(p.open.seal());
        p.open = null;
      }
      for (let i = p.persisted; i < p.blocks.length; i++)
        out.push({ stream: p.stream, dayUs: p.dayUs, bloom: p.blocks[i]! });
      p.persisted = p.blocks.length;
    }
    return out;
  }

  /** Undo takeUnpersisted when the transaction writing them failed. */
  returnUnpersisted(blocks: readonly PersistableBlock[]): void {
    for (const b of blocks) {
      const p = this.part(b.stream, b.dayUs);
      p.persisted = Math.min(p.persisted, p.blocks.indexOf(b.bloom));
    }
  }

  forget(stream: string, dayUs: number): void {
    this.parts.delete(`${stream}\u0000${dayUs}`);
  }

  /**
   * The `_seq` ranges a query must scan in these partitions, or null when pruning would not pay.
   * Only tokens every match must contain count (see requiredTokens). Each partition is decided on
   * its own: skipped when no block may match, read whole when most blocks may (its whole span then
   * stands in the union-wide ranges), otherwise narrowed to its candidate blocks.
   */
  candidateRanges(
    partitions: readonly { stream: string; dayUs: number }[],
    tokens: readonly TokenHash[],
  ): CandidateRanges | null {
    if (tokens.length === 0) return null;
    const all: [number, number][] = [];
    const byPartition = new Map<string, [number, number][]>();
    let blocksRead = 0;
    let candidatesRead = 0;
    let total = 0;
    let pruned = false;
    for (const { stream, dayUs } of partitions) {
      const key = `${stream}\u0000${dayUs}`;
      const p = this.parts.get(key);
      if (!p) return null; // rows with no index at all
      const ranges: [number, number][] = p.gap ? [p.gap] : [];
      const blocks = p.open ? [...p.blocks, p.open] : p.blocks;
      total += blocks.length;
      let candidates = 0;
      for (const b of blocks) {
        if (!b.mayContainAll(tokens)) continue;
        ranges.push([b.seqLo, b.seqHi]);
        candidates++;
      }
      if (candidates > blocks.length * MAX_CANDIDATE_SHARE + 1) {
        all.push(spanOf(ranges));
        blocksRead += blocks.length;
        candidatesRead += blocks.length;
        continue;
      }
      pruned = true;
      const merged = mergeRanges(ranges);
      byPartition.set(key, merged);
      all.push(...merged);
      if (merged.length > 0) {
        blocksRead += blocks.length;
        candidatesRead += candidates;
      }
    }
    if (total === 0 || !pruned) return null;
    const ranges = mergeRanges(all);
    if (ranges.length > MAX_RANGES) return null;
    return { ranges, byPartition, share: blocksRead === 0 ? 0 : candidatesRead / blocksRead };
  }
}

/**
 * The `_seq` ranges a query must scan: over all its partitions (a superset: a partition read whole
 * stands in with its whole span), and per partition (`stream\0dayUs`): no entry for a partition
 * read whole, an empty list for one skipped.
 */
export interface CandidateRanges {
  ranges: [number, number][];
  byPartition: Map<string, [number, number][]>;
  /** Of the blocks in the partitions read, the share that may match: small for a needle. */
  share: number;
}

/** The smallest range holding every one of `ranges`. */
function spanOf(ranges: readonly [number, number][]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const [a, b] of ranges) {
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  return [lo, hi];
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/**
 * Tokens that every event matching the query must hold in a text field: those of the non-wildcard
 * terms and phrases on text fields (or the default fields) that the query requires (AND).
 */
export function requiredTokens(node: QueryNode | null): TokenHash[] {
  const out: TokenHash[] = [];
  const add = (value: string) => out.push(...hashPhrase(tokenize(value)));
  const visit = (n: QueryNode) => {
    switch (n.kind) {
      case 'and':
        for (const c of n.children) visit(c);
        return;
      case 'term':
        if (n.wildcard) return;
        if (n.field === null || TEXT_FIELDS.has(n.field)) add(n.value);
        return;
      case 'phrase':
        if (n.field === null || TEXT_FIELDS.has(n.field)) add(n.value);
        return;
      default:
        return;
    }
  };
  if (node) visit(node);
  return out;
}

export { BLOCK_ROWS, textFieldHashes };
