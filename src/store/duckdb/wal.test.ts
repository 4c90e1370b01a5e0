import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ColumnDef } from './catalog.js';
import { PartitionWal, type SealedSegment, type SegmentGroup } from './wal.js';

const D1 = Date.UTC(2024, 0, 15) * 1000;
const TS: ColumnDef = { name: '@timestamp', type: 'timestamp', list: false };
const SEQ: ColumnDef = { name: '_seq', type: 'number', list: false };
const STREAM: ColumnDef = { name: 'stream', type: 'string', list: false };
const MSG: ColumnDef = { name: 'message', type: 'string', list: false };
const N: ColumnDef = { name: 'n', type: 'number', list: false };
const TAGS: ColumnDef = { name: 'tags', type: 'string', list: true };

function row(t: number, seq: number, stream: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ '@timestamp': t, _seq: seq, stream, ...fields });
}

function group(
  table: string,
  stream: string,
  rows: { t: number; seq: number; f?: Record<string, unknown> }[],
  columns: ColumnDef[],
): SegmentGroup {
  return {
    table,
    stream,
    dayUs: D1,
    data: Buffer.from(rows.map((r) => `${row(r.t, r.seq, stream, r.f)}\n`).join('')),
    rows: rows.length,
    maxRowBytes: Math.max(...rows.map((r) => Buffer.byteLength(row(r.t, r.seq, stream, r.f)) + 1)),
    columns,
    minSeq: Math.min(...rows.map((r) => r.seq)),
    maxSeq: Math.max(...rows.map((r) => r.seq)),
    minUs: Math.min(...rows.map((r) => r.t)),
    maxUs: Math.max(...rows.map((r) => r.t)),
  };
}

/** A segment without its file path, and with sorted columns, for comparison. */
function shape(s: SealedSegment) {
  const { file: _file, columns, maxLineBytes: _longest, ...rest } = s;
  return { ...rest, columns: [...columns].sort((a, b) => a.name.localeCompare(b.name)) };
}

const byName = (cols: ColumnDef[]) => [...cols].sort((a, b) => a.name.localeCompare(b.name));

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'cairn-wal-')), 'wal');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('PartitionWal: append, seal, remove', () => {
  it('starts empty in a new directory', async () => {
    const { wal, leftovers } = await PartitionWal.create(dir);
    expect(leftovers).toStrictEqual([]);
    expect(wal.pending).toBe(0);
    expect(await wal.seal()).toStrictEqual([]);
    await wal.close();
  });

  it('writes one segment per partition, with a header and column declarations before the rows', async () => {
    const { wal } = await PartitionWal.create(dir);
    await wal.append([
      group('p_1', 'app', [{ t: D1 + 5, seq: 1, f: { message: 'a' } }], [TS, SEQ, STREAM, MSG]),
      group('p_2', 'web', [{ t: D1 + 7, seq: 2, f: { n: 1 } }], [TS, SEQ, STREAM, N]),
    ]);
    await wal.append([
      group('p_1', 'app', [{ t: D1 + 3, seq: 3, f: { message: 'b', n: 2 } }], [TS, SEQ, STREAM, MSG, N]),
    ]);
    expect(wal.pending).toBe(3);

    const sealed = await wal.seal();
    expect(wal.pending).toBe(0);
    expect(sealed.map(shape)).toStrictEqual([
      {
        table: 'p_1',
        stream: 'app',
        dayUs: D1,
        columns: byName([TS, SEQ, STREAM, MSG, N]),
        rows: 2,
        maxSeq: 3,
        minUs: D1 + 3,
        maxUs: D1 + 5,
      },
      {
        table: 'p_2',
        stream: 'web',
        dayUs: D1,
        columns: byName([TS, SEQ, STREAM, N]),
        rows: 1,
        maxSeq: 2,
        minUs: D1 + 7,
        maxUs: D1 + 7,
      },
    ]);

    const lines = (await readFile(sealed[0]!.file, 'utf8')).split('\n');
    expect(lines).toStrictEqual([
      JSON.stringify({ _cairn: { table: 'p_1', stream: 'app', dayUs: D1 } }),
      JSON.stringify({ _cairn: { columns: [TS, SEQ, STREAM, MSG] } }),
      row(D1 + 5, 1, 'app', { message: 'a' }),
      JSON.stringify({ _cairn: { columns: [N] } }), // only the column not declared yet
      row(D1 + 3, 3, 'app', { message: 'b', n: 2 }),
      '',
    ]);
    await wal.close();
  });

  it('starts new segments after a seal and removes sealed ones', async () => {
    const { wal } = await PartitionWal.create(dir);
    await wal.append([group('p_1', 'app', [{ t: D1, seq: 1 }], [TS, SEQ, STREAM])]);
    const first = await wal.seal();
    await wal.append([group('p_1', 'app', [{ t: D1 + 1, seq: 2 }], [TS, SEQ, STREAM])]);
    const second = await wal.seal();
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(second[0]!.file).not.toBe(first[0]!.file);
    // A new segment declares its columns again: each segment is loaded on its own.
    expect(second[0]!.columns.map((c) => c.name).sort()).toStrictEqual(['@timestamp', '_seq', 'stream']);
    expect((await readdir(dir)).sort()).toStrictEqual(['p_1-00000000.ndjson', 'p_1-00000001.ndjson']);

    await wal.remove(first);
    expect(await readdir(dir)).toStrictEqual(['p_1-00000001.ndjson']);
    await wal.remove([...first, ...second]); // removing twice is harmless
    expect(await readdir(dir)).toStrictEqual([]);
    await wal.close();
  });
});

describe('PartitionWal: recovery after a crash', () => {
  /** Writes without sealing, closes the file handles (the process "dies"), and reopens the directory. */
  async function crashAfter(groups: SegmentGroup[][]): Promise<void> {
    const { wal } = await PartitionWal.create(dir);
    for (const g of groups) await wal.append(g);
    await wal.close();
  }

  it('hands back unsealed segments with their columns, rows, sequence and time span', async () => {
    await crashAfter([
      [
        group(
          'p_1',
          'app',
          [
            { t: D1 + 9, seq: 1, f: { message: 'x' } },
            { t: D1 + 2, seq: 2, f: { message: 'y' } },
          ],
          [TS, SEQ, STREAM, MSG],
        ),
        group('p_2', 'web', [{ t: D1 + 4, seq: 3, f: { tags: ['a'] } }], [TS, SEQ, STREAM, TAGS]),
      ],
      [group('p_1', 'app', [{ t: D1 + 5, seq: 4, f: { n: 1 } }], [TS, SEQ, STREAM, N])],
    ]);
    const { wal, leftovers } = await PartitionWal.create(dir);
    expect(leftovers.map(shape)).toStrictEqual([
      {
        table: 'p_1',
        stream: 'app',
        dayUs: D1,
        columns: byName([TS, SEQ, STREAM, MSG, N]),
        rows: 3,
        maxSeq: 4,
        minUs: D1 + 2,
        maxUs: D1 + 9,
      },
      {
        table: 'p_2',
        stream: 'web',
        dayUs: D1,
        columns: byName([TS, SEQ, STREAM, TAGS]),
        rows: 1,
        maxSeq: 3,
        minUs: D1 + 4,
        maxUs: D1 + 4,
      },
    ]);
    // New appends go to new files, never into a recovered one.
    await wal.append([group('p_1', 'app', [{ t: D1, seq: 5 }], [TS, SEQ, STREAM])]);
    const sealed = await wal.seal();
    expect(leftovers.map((l) => l.file)).not.toContain(sealed[0]!.file);
    expect(sealed[0]!.file.endsWith('p_1-00000002.ndjson')).toBe(true);
    await wal.close();
  });

  it('truncates a torn last line away and keeps the whole lines before it', async () => {
    await crashAfter([
      [
        group(
          'p_1',
          'app',
          [
            { t: D1 + 1, seq: 1 },
            { t: D1 + 2, seq: 2 },
          ],
          [TS, SEQ, STREAM],
        ),
      ],
    ]);
    const [file] = await readdir(dir);
    const path = join(dir, file!);
    const before = await readFile(path, 'utf8');
    await appendFile(
      path,
      `{"_cairn":{"columns":[{"name":"late","type":"string","list":false}]}}\n{"@timestamp":${D1 + 99},"_seq":3,"stre`,
    );

    const { wal, leftovers } = await PartitionWal.create(dir);
    expect(leftovers.map(shape)).toStrictEqual([
      {
        table: 'p_1',
        stream: 'app',
        dayUs: D1,
        columns: byName([TS, SEQ, STREAM, { name: 'late', type: 'string', list: false }]),
        rows: 2,
        maxSeq: 2,
        minUs: D1 + 1,
        maxUs: D1 + 2,
      },
    ]);
    const after = await readFile(path, 'utf8');
    expect(after).toBe(`${before}{"_cairn":{"columns":[{"name":"late","type":"string","list":false}]}}\n`);
    await wal.close();
  });

  it('drops a segment whose header was torn', async () => {
    const first = await PartitionWal.create(dir);
    await first.wal.close();
    await writeFile(join(dir, 'p_3-00000004.ndjson'), '{"_cairn":{"table":"p_3","str');
    const { leftovers } = await PartitionWal.create(dir);
    expect(leftovers).toStrictEqual([]);
    expect(await readdir(dir)).toStrictEqual([]);
  });

  it('drops a segment that holds a header but no rows', async () => {
    await (await PartitionWal.create(dir)).wal.close();
    await writeFile(
      join(dir, 'p_3-00000000.ndjson'),
      `${JSON.stringify({ _cairn: { table: 'p_3', stream: 's', dayUs: D1 } })}\n${JSON.stringify({ _cairn: { columns: [N] } })}\n`,
    );
    const { leftovers } = await PartitionWal.create(dir);
    expect(leftovers).toStrictEqual([]);
    expect(await readdir(dir)).toStrictEqual([]);
  });

  it('drops a segment without a header line', async () => {
    await (await PartitionWal.create(dir)).wal.close();
    await writeFile(join(dir, 'p_3-00000000.ndjson'), `${row(D1, 1, 's')}\n`);
    const { leftovers } = await PartitionWal.create(dir);
    expect(leftovers).toStrictEqual([]);
  });

  it('ignores files that are not segments', async () => {
    await (await PartitionWal.create(dir)).wal.close();
    await writeFile(join(dir, 'notes.txt'), 'hello');
    const { leftovers } = await PartitionWal.create(dir);
    expect(leftovers).toStrictEqual([]);
    expect(await readdir(dir)).toStrictEqual(['notes.txt']);
  });

  it('numbers new segments after the highest recovered one', async () => {
    await (await PartitionWal.create(dir)).wal.close();
    await writeFile(
      join(dir, 'p_9-00000041.ndjson'),
      `${JSON.stringify({ _cairn: { table: 'p_9', stream: 's', dayUs: D1 } })}\n${row(D1, 7, 's')}\n`,
    );
    const { wal, leftovers } = await PartitionWal.create(dir);
    expect(leftovers.map(shape)).toStrictEqual([
      { table: 'p_9', stream: 's', dayUs: D1, columns: [], rows: 1, maxSeq: 7, minUs: D1, maxUs: D1 },
    ]);
    await wal.append([group('p_9', 's', [{ t: D1, seq: 8 }], [TS, SEQ, STREAM])]);
    const [sealed] = await wal.seal();
    expect(sealed!.file.endsWith('p_9-00000042.ndjson')).toBe(true);
    await wal.close();
  });

  it('recovers the same segments again when the previous recovery was not followed by a load', async () => {
    await crashAfter([[group('p_1', 'app', [{ t: D1, seq: 1 }], [TS, SEQ, STREAM])]]);
    const once = await PartitionWal.create(dir);
    await once.wal.close();
    const twice = await PartitionWal.create(dir);
    expect(twice.leftovers.map(shape)).toStrictEqual(once.leftovers.map(shape));
    await twice.wal.close();
  });

  it('knows the longest line of a segment, sealed or recovered, for sizing the reader', async () => {
    const long = 'x'.repeat(3000);
    const wal1 = (await PartitionWal.create(dir)).wal;
    await wal1.append([
      group(
        'p_1',
        'app',
        [
          { t: D1, seq: 1 },
          { t: D1, seq: 2, f: { message: long } },
        ],
        [TS, SEQ, STREAM],
      ),
    ]);
    const [sealed] = await wal1.seal();
    const longest = Buffer.byteLength(row(D1, 2, 'app', { message: long })) + 1;
    expect(sealed!.maxLineBytes).toBe(longest);
    await wal1.close();
    await crashAfter([
      [group('p_2', 'app', [{ t: D1, seq: 3, f: { message: `é${long}` } }], [TS, SEQ, STREAM])],
    ]);
    const { wal, leftovers } = await PartitionWal.create(dir);
    const recovered = leftovers.find((l) => l.table === 'p_2')!;
    expect(recovered.maxLineBytes).toBeGreaterThanOrEqual(
      Buffer.byteLength(row(D1, 3, 'app', { message: `é${long}` })) + 1,
    );
    await wal.close();
  });
});
