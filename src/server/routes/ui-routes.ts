import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * First path segments of the web UI's pages. A browser navigation (Accept: text/html) to `/` or to one
 * of these gets the app's index.html, so links and reloads work; every other request, including the
 * Elasticsearch-compatible `GET /` and `GET /{index}` that shippers make, reaches its API route.
 * Keep in step with the page registry in web/src/pages.ts.
 */
export const UI_PAGES = ['discover', 'dashboards', 'streams', 'pipelines'] as const;

const DEFAULT_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  body: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
  type: string;
  etag: string;
  /** Vite names files under assets/ by content hash, so they never change. */
  immutable: boolean;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Cairn</title>
<body style="font-family:system-ui;margin:3rem">
<h1>The Cairn web UI is not built</h1>
<p>Run <code>npm run build</code> (or <code>npm start</code>, which builds it), then reload this page.
The HTTP API is at <a href="/docs">/docs</a>.</p>`;

/** Reads the built UI into memory once, compressed both ways; it is a few hundred KB. */
function loadAssets(dist: string): Map<string, Asset> | null {
  try {
    if (!statSync(join(dist, 'index.html')).isFile()) return null;
  } catch {
    return null;
  }
  const assets = new Map<string, Asset>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const url = `/${relative(dist, full).split(sep).join('/')}`;
        const body = readFileSync(full);
        const type = TYPES[extname(full)] ?? 'application/octet-stream';
        const compressible = /text|javascript|json|svg/.test(type) && body.length > 1024;
        assets.set(url, {
          body,
          gzip: compressible ? gzipSync(body, { level: 9 }) : null,
          br: compressible
            ? brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } })
            : null,
          type,
          etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`,
          immutable: url.startsWith('/assets/'),
        });
      }
    }
  };
  walk(dist);
  return assets;
}

function isPageNavigation(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!String(req.headers.accept ?? '').includes('text/html')) return false;
  const path = req.url.split('?')[0]!;
  if (path === '/') return true;
  const first = path.split('/')[1] ?? '';
  return (UI_PAGES as readonly string[]).includes(first);
}

function send(req: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply {
  reply.header('Content-Type', asset.type);
  reply.header('ETag', asset.etag);
  reply.header('Vary', 'Accept, Accept-Encoding');
  reply.header('Cache-Control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (asset.type.startsWith('text/html')) {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
  }
  if (req.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  const accepted = String(req.headers['accept-encoding'] ?? '');
  if (asset.br && /\bbr\b/.test(accepted)) {
    reply.header('Content-Encoding', 'br');
    return reply.send(asset.br);
  }
  if (asset.gzip && /\bgzip\b/.test(accepted)) {
    reply.header('Content-Encoding', 'gzip');
    return reply.send(asset.gzip);
  }
  return reply.send(asset.body);
}

/**
 * The web UI (web/dist, built by Vite): its files under `/assets/`, and index.html for browser
 * navigations to `/` and the app's pages (see UI_PAGES). The build is read on the first request, so
 * a server started before `npm run build:web` serves it once it exists.
 */
export function registerUiRoutes(app: FastifyInstance, opts: { distDir?: string } = {}): void {
  const dist = opts.distDir ?? DEFAULT_DIST;
  let assets: Map<string, Asset> | null = null;
  let builtAt = -1;
  // Reloaded when index.html changes, so `npm run build:web` shows up without a restart.
  const load = () => {
    let mtime = -1;
    try {
      mtime = statSync(join(dist, 'index.html')).mtimeMs;
    } catch {
      // not built
    }
    if (mtime !== builtAt) {
      assets = mtime === -1 ? null : loadAssets(dist);
      builtAt = mtime;
    }
    return assets;
  };

  app.addHook('onRequest', async (req, reply) => {
    if (!isPageNavigation(req)) return;
    const index = load()?.get('/index.html');
    if (!index) return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    return send(req, reply, index);
  });

  const file = async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0]!;
    const asset = load()?.get(decodeURIComponent(path));
    if (!asset) {
      return reply
        .status(404)
        .type('text/plain; charset=utf-8')
        .send(`No UI file at ${path}: rebuild the UI (npm run build:web) and reload`);
    }
    return send(req, reply, asset);
  };
  app.get('/assets/*', file);
  app.get('/favicon.svg', file);
}
