#!/usr/bin/env node
// Keeps package-lock.json installable everywhere with `npm ci`.
//
// Packages such as esbuild, rollup, biome and duckdb ship one optional package per platform. When the
// lock file is written on a machine whose registry mirror only serves this platform's builds, npm
// leaves the other platforms out, and `npm ci` then refuses the lock as out of sync with package.json.
// This adds an entry (version, os, cpu, libc from the package name) for every missing optional
// dependency, so `npm ci` passes its check and installs only what fits the machine it runs on.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = [
  'aix',
  'android',
  'darwin',
  'freebsd',
  'linux',
  'netbsd',
  'openbsd',
  'sunos',
  'win32',
  'openharmony',
  'cygwin',
];
const CPU = ['arm', 'arm64', 'ia32', 'loong64', 'mips64el', 'ppc64', 'riscv64', 's390x', 'x64', 'wasm32'];
const LIBC = { musl: 'musl', gnu: 'glibc', gnueabihf: 'glibc', musleabihf: 'musl' };

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages ?? {};
let added = 0;
for (const [key, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = key === '' ? '' : `${key}/`;
    if (packages[`${base}node_modules/${name}`] || packages[`node_modules/${name}`]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.find((p) => CPU.includes(p));
    const libc = parts.map((p) => LIBC[p]).find(Boolean);
    if (!os && !cpu) continue; // not a per-platform build: leave npm to resolve it
    packages[`node_modules/${name}`] = {
      version: String(version).replace(/^[\^~=]/, ''),
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(meta.dev ? { dev: true } : {}),
      ...(libc ? { libc: [libc] } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
    };
    added++;
  }
}
if (added > 0) {
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  process.stderr.write(`complete-lockfile: added ${added} optional platform packages to package-lock.json\n`);
}
