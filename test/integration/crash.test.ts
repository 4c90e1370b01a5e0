import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../src/bench/server-process.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Sends bulk batches until the server dies; returns the messages whose batch was acknowledged. */
async function shipUntilDead(url: string, client: number, acked: Set<string>): Promise<void> {
  for (let batch = 0; ; batch++) {
    const lines: string[] = [];
    const messages: string[] = [];
    for (let i = 0; i < 200; i++) {
      const message = `c${client}-b${batch}-e${i}`;
      messages.push(message);
      lines.push(JSON.stringify({ index: { _index: 'crash' } }), JSON.stringify({ message, n: i }));
    }
    let res: Response;
    try {
      res = await fetch(`${url}/_bulk`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: `${lines.join('\n')}\n`,
      });
      const body = (await res.json()) as { errors: boolean };
      if (res.status !== 200 || body.errors) continue;
    } catch {
      return; // the server is gone; this batch was never acknowledged
    }
    for (const m of messages) acked.add(m);
  }
}

describe('durability', () => {
  it('keeps every acknowledged event when the server is killed with SIGKILL mid-ingest', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-crash-'));
    dirs.push(dataDir);
    const first = await startServerProcess({ dataDir });
    const acked = new Set<string>();
    const shippers = [0, 1, 2].map((c) => shipUntilDead(first.url, c, acked));
    // Let acknowledged data build up across several group commits, then pull the plug.
    while (acked.size < 3000) await new Promise((r) => setTimeout(r, 20));
    await first.kill();
    await Promise.all(shippers);
    expect(acked.size).toBeGreaterThanOrEqual(3000);

    const second = await startServerProcess({ dataDir });
    try {
      const stored = new Set<string>();
      let cursor: string | null = null;
      do {
        const params = new URLSearchParams({
          stream: 'crash',
          from: 'now-1d',
          limit: '10000',
          ...(cursor ? { cursor } : {}),
        });
        const res = await fetch(`${second.url}/api/v1/search?${params}`);
        const body = (await res.json()) as { hits: { message: string }[]; next_cursor: string | null };
        for (const h of body.hits) stored.add(h.message);
        cursor = body.next_cursor;
      } while (cursor);
      const lost = [...acked].filter((m) => !stored.has(m));
      expect(lost).toEqual([]);
      // Token search over rows whose skip-index blocks died with the process must still find them.
      const sample = [...acked].slice(-5);
      for (const m of sample) {
        const params = new URLSearchParams({ stream: 'crash', from: 'now-1d', q: `"${m}"`, limit: '0' });
        const body = (await (await fetch(`${second.url}/api/v1/search?${params}`)).json()) as {
          total: { value: number };
        };
        expect(body.total.value, m).toBe(1);
      }
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('refuses a second server on the same data directory with a clear message', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-lock-'));
    dirs.push(dataDir);
    const first = await startServerProcess({ dataDir });
    try {
      const err = await startServerProcess({ dataDir, timeoutMs: 15_000 }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(/exited with code 1/);
      expect(err?.message).toContain(
        `Cannot open data directory "${dataDir}": it is in use by another Cairn process (pid ${first.pid})`,
      );
    } finally {
      await first.stop();
    }
  });

  it('refuses to start on a pipeline file that does not parse, naming it, and closes the store', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-badconfig-'));
    const pipelinesDir = await mkdtemp(join(tmpdir(), 'cairn-badpipelines-'));
    dirs.push(dataDir, pipelinesDir);
    await writeFile(join(pipelinesDir, 'broken.yaml'), 'processors: [ { grok: 5 } ]\n');
    const err = await startServerProcess({
      dataDir,
      args: ['--pipelines-dir', pipelinesDir],
      timeoutMs: 15_000,
    }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/exited with code 1/);
    expect(err?.message).toContain('cairn serve: Cannot load pipelines:');
    expect(err?.message).toContain(`${join(pipelinesDir, 'broken.yaml')}: Pipeline "broken" has a problem`);
    expect(err?.message).not.toMatch(/\n\s+at /);
    // Closed cleanly: DuckDB checkpointed and removed its own log.
    expect(existsSync(join(dataDir, 'cairn.duckdb'))).toBe(true);
    expect(existsSync(join(dataDir, 'cairn.duckdb.wal'))).toBe(false);
  });

  it('flushes and exits 0 on SIGTERM, keeping what it acknowledged', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-term-'));
    dirs.push(dataDir);
    const first = await startServerProcess({ dataDir });
    const res = await fetch(`${first.url}/api/v1/ingest?stream=term`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'a\nb\nc\n',
    });
    expect(((await res.json()) as { accepted: number }).accepted).toBe(3);
    const metrics = await (await fetch(`${first.url}/metrics`)).text();
    expect(metrics).toMatch(/^cairn_loaded_events_total 3$/m);
    expect(metrics).toMatch(/^cairn_refresh_seconds_count [1-9]/m);
    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain('Stopped cleanly');
    const second = await startServerProcess({ dataDir });
    try {
      const body = (await (await fetch(`${second.url}/api/v1/search?stream=term&from=now-1h`)).json()) as {
        total: { value: number };
      };
      expect(body.total.value).toBe(3);
    } finally {
      await second.stop();
    }
  });
});
