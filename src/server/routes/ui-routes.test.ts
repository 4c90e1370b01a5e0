import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUiRoutes } from './ui-routes.js';

let dist: string;
let app: FastifyInstance;
const INDEX =
  '<!doctype html><title>Cairn</title><script type="module" src="/assets/index-abc123.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(5000))});`;

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'cairn-ui-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), INDEX);
  await writeFile(join(dist, 'assets', 'index-abc123.js'), SCRIPT);
  await writeFile(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  app = Fastify();
  registerUiRoutes(app, { distDir: dist });
  // Stands in for the Elasticsearch-compatible routes the UI must not shadow.
  app.get('/', async () => ({ tagline: 'You Know, for Search' }));
  app.get('/:index', async (req) => ({ index: (req.params as { index: string }).index }));
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await rm(dist, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('UI routes', () => {
  it('answers browser navigations to / and to app pages with index.html, not cached', async () => {
    for (const url of ['/', '/discover?q=level:ERROR', '/dashboards/overview', '/streams']) {
      const res = await app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toBe(INDEX);
    }
  });

  it('leaves API clients on the Elasticsearch routes, including GET / and GET /{index}', async () => {
    expect((await app.inject({ url: '/' })).json()).toEqual({ tagline: 'You Know, for Search' });
    expect((await app.inject({ url: '/', headers: { accept: 'application/json' } })).json()).toEqual({
      tagline: 'You Know, for Search',
    });
    expect((await app.inject({ url: '/discover' })).json()).toEqual({ index: 'discover' });
    // A browser on an index name that is not a UI page still reaches the index route.
    expect((await app.inject({ url: '/logs-2024', headers: html })).json()).toEqual({ index: 'logs-2024' });
  });

  it('serves hashed assets as immutable, compressed when the client accepts it', async () => {
    const res = await app.inject({
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(SCRIPT);
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await app.inject({ url: '/favicon.svg' });
    const etag = String(first.headers.etag);
    const again = await app.inject({ url: '/favicon.svg', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
  });

  it('answers 404 for an asset that does not exist', async () => {
    const res = await app.inject({ url: '/assets/missing.js' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toMatch(/No UI file at \/assets\/missing.js/);
  });

  it('says how to build the UI when web/dist is missing', async () => {
    const bare = Fastify();
    registerUiRoutes(bare, { distDir: join(dist, 'nowhere') });
    const res = await bare.inject({ url: '/', headers: html });
    expect(res.statusCode).toBe(503);
    expect(res.body).toMatch(/npm run build/);
    await bare.close();
  });
});
