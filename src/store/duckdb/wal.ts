import { type FileHandle, mkdir, open, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnDef } from './catalog.js';

/**
 * Cairn's write-ahead log, one segment file per partition. A group commit appends its rows (the
 * NDJSON that DuckDB's reader loads) and fsyncs; only then is it acknowledged. The loader later
 * moves whole segments into DuckDB in large transactions and deletes them, so DuckDB sees few big
 * inserts instead of many small ones. Like Elasticsearch's translog and refresh.
 *
 * A segment starts with a header line naming its partition; a line declares columns before the
 * first row that uses them. Both are `{"_cairn": …}` objects, which the loader skips (they have no
 * `@timestamp`) and recovery reads back.
 */
export interface SegmentGroup {
  table: string;
  stream: string;
  dayUs: number;
  /** The rows: newline-terminated NDJSON. */
  data: Uint8Array;
  rows: number;
  /** Bytes of the longest row. */
  maxRowBytes: number;
  /** Definitions of every column the rows use. */
  columns: ColumnDef[];
  minSeq: number;
  maxSeq: number;
  minUs: number;
  maxUs: number;
}

/** A closed segment, ready to load. */
export interface SealedSegment {
  file: string;
  table: string;
  stream: string;
  dayUs: number;
  columns: ColumnDef[];
  rows: number;
  maxSeq: number;
  minUs: number;
  maxUs: number;
  /** Bytes of the longest line (rows and declarations): DuckDB's reader needs room for it. */
  maxLineBytes: number;
}

interface OpenSegment {
  file: string;
  handle: FileHandle;
  table: string;
  stream: string;
  dayUs: number;
  declared: Map<string, ColumnDef>;
  rows: number;
  maxSeq: number;
  minUs: number;
  maxUs: number;
  maxLineBytes: number;
}

interface Header {
  _cairn: { table?: string; stream?: string; dayUs?: number; columns?: ColumnDef[]; maxSeq?: number };
}

export class PartitionWal {
  private readonly open = new Map<string, OpenSegment>();
  private counter = 0;
  private pendingRows = 0;

  private constructor(readonly dir: string) {}

  static async create(dir: string): Promise<{ wal: PartitionWal; leftovers: SealedSegment[] }> {
    await mkdir(dir, { recursive: true });
    const wal = new PartitionWal(dir);
    const leftovers = await recoverSegments(dir);
    for (const s of leftovers) {
      const n = Number(/-(\d+)\.ndjson$/.exec(s.file)?.[1] ?? 0);
      if (n >= wal.counter) wal.counter = n + 1;
    }
    return { wal, leftovers };
  }

  /** Rows appended and not yet sealed. */
  get pending(): number {
    return this.pendingRows;
  }

  /** Appends each group to its partition's segment, then fsyncs them all. Resolves once durable. */
  async append(groups: readonly SegmentGroup[]): Promise<void> {
    const touched = new Set<OpenSegment>();
    for (const g of groups) {
      let seg = this.open.get(g.table);
      if (!seg) {
        const file = join(this.dir, `${g.table}-${String(this.counter++).padStart(8, '0')}.ndjson`);
        const handle = await open(file, 'a');
        seg = {
          file,
          handle,
          table: g.table,
          stream: g.stream,
          dayUs: g.dayUs,
          declared: new Map(),
          rows: 0,
          maxSeq: 0,
          minUs: g.minUs,
          maxUs: g.maxUs,
          maxLineBytes: 0,
        };
        this.open.set(g.table, seg);
        const header = `${JSON.stringify({ _cairn: { table: g.table, stream: g.stream, dayUs: g.dayUs } })}\n`;
        await handle.write(header);
        seg.maxLineBytes = Buffer.byteLength(header);
      }
      const fresh = g.columns.filter((c) => !seg.declared.has(c.name));
      let text = '';
      if (fresh.length > 0) {
        for (const c of fresh) seg.declared.set(c.name, c);
        text += `${JSON.stringify({ _cairn: { columns: fresh } })}\n`;
      }
      if (text.length > 0) {
        const declaration = Buffer.from(text);
        await writeAll(seg.handle, declaration);
        seg.maxLineBytes = Math.max(seg.maxLineBytes, declaration.byteLength);
      }
      await writeAll(seg.handle, g.data);
      seg.rows += g.rows;
      seg.maxLineBytes = Math.max(seg.maxLineBytes, g.maxRowBytes);
      seg.maxSeq = Math.max(seg.maxSeq, g.maxSeq);
      seg.minUs = Math.min(seg.minUs, g.minUs);
      seg.maxUs = Math.max(seg.maxUs, g.maxUs);
      this.pendingRows += g.rows;
      touched.add(seg);
    }
    await Promise.all([...touched].map((s) => s.handle.datasync()));
  }

  /** Closes the open segments and hands them over for loading; new appends start new segments. */
  async seal(): Promise<SealedSegment[]> {
    const sealed: SealedSegment[] = [];
    for (const seg of this.open.values()) {
      await seg.handle.close();
      sealed.push({
        file: seg.file,
        table: seg.table,
        stream: seg.stream,
        dayUs: seg.dayUs,
        columns: [...seg.declared.values()],
        rows: seg.rows,
        maxSeq: seg.maxSeq,
        minUs: seg.minUs,
        maxUs: seg.maxUs,
        maxLineBytes: seg.maxLineBytes,
      });
    }
    this.open.clear();
    this.pendingRows = 0;
    return sealed;
  }

  /** Deletes segments whose rows are committed in DuckDB. */
  async remove(segments: readonly SealedSegment[]): Promise<void> {
    await Promise.all(segments.map((s) => rm(s.file, { force: true })));
  }

  async close(): Promise<void> {
    for (const seg of this.open.values()) await seg.handle.close();
    this.open.clear();
  }
}

/** Writes all of `data` (a single write may take only part of it). */
async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  let done = 0;
  while (done < data.byteLength) {
    const { bytesWritten } = await handle.write(data, done, data.byteLength - done);
    done += bytesWritten;
  }
}

/** Reads segments left by a previous process (crash or kill): header and column declarations. */
async function recoverSegments(dir: string): Promise<SealedSegment[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ndjson')).sort();
  const out: SealedSegment[] = [];
  for (const name of files) {
    const file = join(dir, name);
    let text = await readFile(file, 'utf8');
    if (!text.endsWith('\n')) {
      // A torn tail after a crash was never acknowledged (acks follow the fsync of whole lines).
      text = text.slice(0, text.lastIndexOf('\n') + 1);
      await truncate(file, Buffer.byteLength(text));
    }
    let header: Header['_cairn'] | undefined;
    const columns = new Map<string, ColumnDef>();
    let rows = 0;
    let maxSeq = 0;
    let minUs = Number.POSITIVE_INFINITY;
    let maxUs = Number.NEGATIVE_INFINITY;
    let longest = '';
    for (const line of text.split('\n')) {
      if (line.length > longest.length) longest = line;
      if (line.startsWith('{"_cairn":')) {
        let meta: Header['_cairn'];
        try {
          meta = (JSON.parse(line) as Header)._cairn;
        } catch {
          continue;
        }
        if (meta.table) header = meta;
        for (const c of meta.columns ?? []) columns.set(c.name, c);
      } else if (line.length > 0) {
        rows++;
        // Rows start with both (`{"_seq":…,"@timestamp":…`; logs of earlier versions the other way round).
        const head = line.slice(0, 64);
        const seq = /"_seq": *(\d+)/.exec(head);
        const ts = /"@timestamp":(-?\d+)/.exec(head);
        if (seq && ts) {
          maxSeq = Math.max(maxSeq, Number(seq[1]));
          minUs = Math.min(minUs, Number(ts[1]));
          maxUs = Math.max(maxUs, Number(ts[1]));
        }
      }
    }
    if (!header?.table || header.stream === undefined || header.dayUs === undefined) {
      await rm(file, { force: true }); // a header never written: the segment holds nothing acknowledged
      continue;
    }
    if (rows === 0) {
      await rm(file, { force: true });
      continue;
    }
    out.push({
      file,
      table: header.table,
      stream: header.stream,
      dayUs: header.dayUs,
      columns: [...columns.values()],
      rows,
      maxSeq,
      minUs,
      maxUs,
      // The most characters is not always the most bytes: allow 3 bytes each (UTF-8, BMP).
      maxLineBytes: Math.max(Buffer.byteLength(longest), longest.length * 3) + 1,
    });
  }
  return out;
}
