import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  batchEvents,
  createEventSource,
  type GeneratedCorpusSpec,
} from '../../src/bench/compare/corpora/corpus-files.js';
import { parseCsv } from '../../src/bench/compare/corpora/csv.js';
import { LOGHUB_SYSTEMS } from '../../src/bench/compare/corpora/loghub-systems.js';
import type { ComparisonReport } from '../../src/bench/compare/run-comparison.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const LOGHUB = join(process.env['CAIRN_CORPORA_DIR'] ?? join(REPO, '..', 'shared', 'corpora'), 'loghub');
const MAIN = join(REPO, 'dist', 'bench', 'compare', 'main.js');

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const toUs = Date.UTC(2026, 0, 15) * 1000;
const spec = (kind: GeneratedCorpusSpec['kind']): GeneratedCorpusSpec => ({
  kind,
  events: 2000,
  batchSize: 1000,
  fromUs: toUs - 86_400_000_000,
  toUs,
  seed: 7,
  index: 'x',
  loghubDir: LOGHUB,
});
const batch = (s: GeneratedCorpusSpec, b: number) => [...batchEvents(createEventSource(s), s, b)];

describe('bench:compare corpora', () => {
  it('generates the access corpus deterministically, with fields that match the raw line', () => {
    const events = batch(spec('access'), 1);
    expect(batch(spec('access'), 1)).toEqual(events);
    expect(batch({ ...spec('access'), seed: 8 }, 1)).not.toEqual(events);
    expect(events).toHaveLength(1000);
    let previous = '';
    for (const e of events) {
      const ts = e['@timestamp'] as string;
      expect(ts >= previous).toBe(true);
      previous = ts;
      const http = e['http'] as { response: { status_code: number } };
      const message = e['message'] as string;
      expect(message).toContain(`" ${http.response.status_code} `);
      const ip = (e['client'] as { ip: string }).ip;
      expect(message.startsWith(ip)).toBe(true);
    }
    expect(new Set(events.map((e) => e['service'])).size).toBeGreaterThanOrEqual(10);
  });

  it.skipIf(!existsSync(LOGHUB))('rebuilds every Loghub raw line from its structured columns', () => {
    for (const system of LOGHUB_SYSTEMS) {
      const dir = join(LOGHUB, system.name);
      const rows = parseCsv(readFileSync(join(dir, `${system.name}_2k.log_structured.csv`), 'utf8'));
      const raw = readFileSync(join(dir, `${system.name}_2k.log`), 'utf8').split('\n');
      const same = rows.filter(
        (row, i) => system.line(row, row['Content'] ?? '') === raw[i]?.replace(/\r$/, '').trimEnd(),
      );
      // A few lines have whitespace the CSV trimmed from the message.
      expect(same.length / rows.length, system.name).toBeGreaterThan(0.97);
    }
  });

  it.skipIf(!existsSync(LOGHUB))('interleaves the Loghub systems deterministically', () => {
    const events = batch(spec('unstructured'), 0);
    expect(batch(spec('unstructured'), 0)).toEqual(events);
    expect(new Set(events.map((e) => e['service'])).size).toBe(LOGHUB_SYSTEMS.length);
    for (const e of events) {
      expect(typeof e['message']).toBe('string');
      if (e['level'] !== undefined)
        expect(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']).toContain(e['level']);
    }
    // Parameters are redrawn: the same template yields different lines.
    expect(new Set(events.map((e) => e['message'])).size).toBeGreaterThan(950);
  });
});

describe('bench:compare against real Elasticsearch and Cairn', () => {
  // Downloads Elasticsearch (about 100 MB from Maven Central) on a machine that has not cached it.
  it('runs the whole comparison on 20,000 demo events and both systems agree on every query', async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
    const work = await mkdtemp(join(tmpdir(), 'cairn-compare-test-'));
    dirs.push(work);
    const out = join(work, 'results');
    const args = [MAIN, '--corpus', 'demo', '--events', '20000', '--runs', '3'];
    args.push('--out', out, '--cache-dir', join(work, 'corpora'));
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      output += d;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);

    const [file] = (await readdir(out)).filter((f) => f.endsWith('.json'));
    const report = JSON.parse(await readFile(join(out, file!), 'utf8')) as ComparisonReport;
    expect(report.agreement).toEqual({ ok: true, disagreements: [] });
    const { cairn, elasticsearch } = report.systems;
    expect(cairn.events).toBe(20_000);
    expect(elasticsearch.events).toBe(20_000);
    expect(cairn.queries.map((q) => q.id)).toEqual(report.queries.map((q) => q.id));
    expect(report.queries).toHaveLength(10);
    for (const q of cairn.queries) {
      const other = elasticsearch.queries.find((x) => x.id === q.id)!;
      expect(other.outcome, q.id).toEqual(q.outcome);
      expect(q.outcome.hits, q.id).toBeGreaterThan(0);
      expect(q.samplesMs).toHaveLength(3);
    }
    expect(elasticsearch.version).toMatch(/^8\./);
    expect(elasticsearch.peakRssBytes).toBeGreaterThan(0);
    expect(cairn.bytesPerEvent).toBeGreaterThan(0);
    expect(output).toContain('| ingest, events/s |');
  }, 1_200_000);
});
