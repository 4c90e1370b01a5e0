import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CairnError } from '../../model/errors.js';
import type { DashboardInput } from './dashboard.js';
import { DashboardStore } from './dashboard-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-dashboards-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const input = (title: string): DashboardInput => ({
  title,
  description: '',
  time: { from: 'now-1h', to: 'now' },
  refresh: null,
  panels: [],
});
const clock = () => new Date('2026-01-02T03:04:05.000Z');

describe('DashboardStore', () => {
  it('creates the built-in Overview on first start, and only then', async () => {
    const store = await DashboardStore.open({ dataDir: dir, now: clock });
    expect(store.list()).toEqual([
      expect.objectContaining({ id: 'overview', title: 'Overview', builtin: true, panels: 12 }),
    ]);
    await store.delete('overview');
    const reopened = await DashboardStore.open({ dataDir: dir, now: clock });
    expect(reopened.list()).toEqual([]);
  });

  it('keeps creates, replaces, duplicates and deletes across restarts', async () => {
    const store = await DashboardStore.open({ dataDir: dir, now: clock });
    const a = await store.create(input('Payments'));
    expect(a).toMatchObject({ title: 'Payments', builtin: false, created_at: '2026-01-02T03:04:05.000Z' });
    await store.replace(a.id, { ...input('Payments v2'), refresh: '1m' });
    const copy = await store.duplicate(a.id);
    expect(copy.title).toBe('Payments v2 (copy)');
    expect(copy.id).not.toBe(a.id);

    const reopened = await DashboardStore.open({ dataDir: dir, now: clock });
    expect(reopened.get(a.id)).toMatchObject({ title: 'Payments v2', refresh: '1m' });
    await reopened.delete(copy.id);
    expect(() => reopened.get(copy.id)).toThrow(CairnError);
    const file = JSON.parse(await readFile(join(dir, 'dashboards.json'), 'utf8'));
    expect(file.dashboards.map((d: { title: string }) => d.title)).toEqual(['Overview', 'Payments v2']);
  });

  it('exports what import takes back, under a free title', async () => {
    const store = await DashboardStore.open({ dataDir: dir, now: clock });
    const exported = store.exportOf('overview');
    expect(exported.cairn_dashboard).toBe(1);
    expect(exported.dashboard).not.toHaveProperty('id');
    const imported = await store.import(exported.dashboard);
    expect(imported.title).toBe('Overview 2');
    expect(imported.panels).toEqual(store.get('overview').panels);
  });

  it('answers 404 for a dashboard that does not exist', async () => {
    const store = await DashboardStore.open({ dataDir: dir, now: clock });
    expect(() => store.get('nope')).toThrow(/Cannot find dashboard "nope"/);
  });

  it('refuses to start on a damaged file rather than overwrite it', async () => {
    await writeFile(join(dir, 'dashboards.json'), '{ not json');
    await expect(DashboardStore.open({ dataDir: dir })).rejects.toThrow(/fix or remove the file/);
  });
});
