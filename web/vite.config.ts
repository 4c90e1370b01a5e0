import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(root, 'dist');

/** Prints what the browser downloads: every JS and CSS file, raw, gzip and brotli, and the total. */
function bundleSizeReport(): Plugin {
  return {
    name: 'cairn-bundle-size',
    apply: 'build',
    closeBundle() {
      const dir = join(outDir, 'assets');
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
      const totals = { raw: 0, gzip: 0, br: 0 };
      const lines: string[] = [];
      for (const name of readdirSync(dir).sort()) {
        if (!/\.(js|css)$/.test(name)) continue;
        const body = readFileSync(join(dir, name));
        const sizes = { raw: body.length, gzip: gzipSync(body).length, br: brotliCompressSync(body).length };
        totals.raw += sizes.raw;
        totals.gzip += sizes.gzip;
        totals.br += sizes.br;
        lines.push(`  ${name.padEnd(36)} ${kb(sizes.raw)} ${kb(sizes.gzip)} gzip ${kb(sizes.br)} br`);
      }
      const total = `  ${'total JS + CSS'.padEnd(36)} ${kb(totals.raw)} ${kb(totals.gzip)} gzip ${kb(totals.br)} br`;
      process.stdout.write(`\nCairn UI bundle (web/dist/assets):\n${lines.join('\n')}\n${total}\n`);
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 400,
    rollupOptions: {
      output: {
        // Name lazily loaded pages after their folder (dashboards-…js) instead of "page-…js".
        chunkFileNames: (chunk) => {
          const page = /pages\/([\w-]+)\//.exec(chunk.facadeModuleId ?? '')?.[1];
          return `assets/${page ?? '[name]'}-[hash].js`;
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.CAIRN_URL ?? 'http://localhost:9280' },
  },
  plugins: [bundleSizeReport()],
});
