#!/usr/bin/env node
// Installs Debian's Chromium for the browser tests when it is missing (`npm test` runs this first).
// Needs root (or sudo) and the Debian package mirror; does nothing when /usr/bin/chromium exists.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const CHROMIUM = process.env.CAIRN_CHROMIUM ?? '/usr/bin/chromium';

function run(cmd, args) {
  const asRoot = process.getuid?.() === 0;
  const [bin, argv] = asRoot ? [cmd, args] : ['sudo', ['-n', cmd, ...args]];
  execFileSync(bin, argv, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** apt has package lists (a fresh container has none, so `install` would not find chromium). */
function hasPackageLists() {
  try {
    return readdirSync('/var/lib/apt/lists').some((f) => f.endsWith('_Packages') || f.includes('_Packages.'));
  } catch {
    return false;
  }
}

if (existsSync(CHROMIUM)) process.exit(0);
process.stderr.write(
  `Chromium not found at ${CHROMIUM}: installing Debian's chromium package for the browser tests…\n`,
);
try {
  if (!hasPackageLists()) run('apt-get', ['update']);
  try {
    run('apt-get', ['install', '-y', 'chromium']);
  } catch {
    // Stale lists (a package version the mirror no longer has): refresh them once and retry.
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', 'chromium']);
  }
} catch (err) {
  process.stderr.write(
    `Cannot install Chromium: ${err instanceof Error ? err.message : String(err)}\n` +
      'Install it by hand (apt-get install chromium) or point CAIRN_CHROMIUM at a Chromium binary.\n',
  );
  process.exit(1);
}
