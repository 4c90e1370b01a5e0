import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_LIMITS, normalizeEvent } from '../model/normalize.js';
import { BUILTIN_PIPELINES } from './builtins/index.js';
import { testCatalog } from './test-support.js';

const event = (stream: string, fields: Record<string, unknown>) => {
  const r = normalizeEvent(fields, { stream, receivedUs: 1, limits: DEFAULT_EVENT_LIMITS });
  if (!r.ok) throw new Error(r.reason);
  return r.event;
};

describe('PipelineCatalog', () => {
  it('compiles every built-in pipeline', () => {
    const catalog = testCatalog();
    for (const id of BUILTIN_PIPELINES.keys()) expect(catalog.pipeline(id), id).not.toBeNull();
  });

  it("parses every built-in pipeline's example line without a failure tag", () => {
    const catalog = testCatalog();
    for (const [id, builtin] of BUILTIN_PIPELINES) {
      if (id === 'auto') continue;
      const [outcome] = catalog.process([event('t', { message: builtin.example })], {
        pipeline: id,
        limits: DEFAULT_EVENT_LIMITS,
      });
      expect(outcome?.kind, id).toBe('kept');
      if (outcome?.kind !== 'kept') continue;
      const tags = outcome.event.fields['tags'];
      expect(
        (Array.isArray(tags) ? tags : []).filter((t) => String(t).startsWith('_')),
        id,
      ).toEqual([]);
      expect(outcome.event.fields['event.dataset'], id).toBeDefined();
    }
  });

  it('routes by stream glob and condition, first match wins, _none stops', () => {
    const catalog = testCatalog();
    catalog.set('tag-a', { processors: [{ mutate: { add_tag: ['a'] } }] }, 'api');
    catalog.set('tag-b', { processors: [{ mutate: { add_tag: ['b'] } }] }, 'api');
    catalog.setRoutes({
      routes: [
        { stream: 'raw', pipeline: '_none' },
        { stream: 'nginx-*', pipeline: 'tag-a' },
        { if: 'fields.log_type:nginx', pipeline: 'tag-b' },
      ],
    });
    const out = catalog.process(
      [
        event('nginx-edge', { message: 'x' }),
        event('other', { message: 'x', fields: { log_type: 'nginx' } }),
        event('raw', { message: 'x', fields: { log_type: 'nginx' } }),
        event('other', { message: 'x' }),
      ],
      { pipeline: null, limits: DEFAULT_EVENT_LIMITS },
    );
    expect(out.map((o) => (o.kind === 'kept' ? (o.event.fields['tags'] ?? null) : o.kind))).toEqual([
      ['a'],
      ['b'],
      null,
      null,
    ]);
  });

  it('refuses a route table naming unknown pipelines, listing every problem, and keeps the old one', () => {
    const catalog = testCatalog();
    catalog.setRoutes([{ stream: 'a', pipeline: 'nginx' }]);
    expect(() =>
      catalog.setRoutes([{ pipeline: 'nope' }, { stream: 1, pipeline: 'nginx', colour: 'red' }]),
    ).toThrow(
      /routes\[0\]\.pipeline: there is no pipeline "nope"[\s\S]*routes\[1\]\.colour: unknown option[\s\S]*routes\[1\]\.stream: expected a stream name or glob/,
    );
    expect(catalog.routes).toEqual([{ stream: 'a', pipeline: 'nginx' }]);
  });
});

describe('PipelineCatalog: pipelines named by documents', () => {
  it("runs each document's own pipeline over the request's, installed ones too, and says which cannot run", () => {
    const catalog = testCatalog();
    catalog.set('tag-a', { processors: [{ mutate: { add_tag: ['a'] } }] }, 'api');
    const installed = catalog.setInstalled([
      {
        id: 'es-grok',
        definition: { processors: [{ grok: { field: 'message', patterns: ['took=%{NUMBER:took:int}'] } }] },
      },
      { id: 'es-script', definition: { processors: [{ script: { source: 'ctx.x = 1' } }] } },
      // Calls another installed pipeline, listed after it: compiled in a later pass.
      { id: 'es-calls', definition: { processors: [{ pipeline: { name: 'es-grok' } }] } },
    ]);
    expect(installed.map((p) => [p.id, p.error === null])).toEqual([
      ['es-grok', true],
      ['es-calls', true],
      ['es-script', false],
    ]);
    expect(installed.find((p) => p.id === 'es-script')?.error).toMatch(/script/);
    const events = ['took=1', 'took=2', 'took=3', 'took=4', 'took=5', 'took=6'].map((m) =>
      event('t', { message: m }),
    );
    const out = catalog.process(events, {
      pipeline: 'tag-a',
      limits: DEFAULT_EVENT_LIMITS,
      named: [undefined, 'es-grok', 'es-calls', '_none', 'es-script', 'missing'],
    });
    const view = out.map((o) =>
      o.kind === 'kept' ? { took: o.event.fields['took'] ?? null, tags: o.event.fields['tags'] ?? null } : o,
    );
    expect(view).toEqual([
      { took: null, tags: ['a'] },
      { took: 2, tags: null },
      { took: 3, tags: null },
      { took: null, tags: null },
      { took: null, tags: ['_cairn_pipeline_unsupported'] },
      {
        kind: 'rejected',
        reason: 'pipeline with id [missing] does not exist',
        type: 'illegal_argument_exception',
      },
    ]);
    expect(catalog.knows('es-script')).toBe(true);
    expect(catalog.knows('missing')).toBe(false);
    // A Cairn pipeline of the same id wins over an installed one.
    catalog.set('es-script', { processors: [{ mutate: { add_tag: ['cairn'] } }] }, 'api');
    const [again] = catalog.process([event('t', { message: 'x' })], {
      pipeline: '_none',
      limits: DEFAULT_EVENT_LIMITS,
      named: ['es-script'],
    });
    expect(again?.kind === 'kept' && again.event.fields['tags']).toEqual(['cairn']);
  });
});

describe('PipelineCatalog.uses', () => {
  it('follows pipeline calls, auto formats and failure handlers', () => {
    const catalog = testCatalog();
    catalog.set('plain', { processors: [{ grok: { patterns: ['x'] } }] }, 'api');
    catalog.set('calls-nginx', { processors: [{ pipeline: { name: 'nginx' } }] }, 'api');
    catalog.set(
      'handler',
      { processors: [{ grok: { patterns: ['x'], on_failure: [{ geoip: {} }] } }] },
      'api',
    );
    expect(catalog.uses('geoip', 'plain')).toBe(false);
    expect(catalog.uses('geoip', 'syslog')).toBe(false);
    expect(catalog.uses('geoip', 'calls-nginx')).toBe(true);
    expect(catalog.uses('geoip', 'auto')).toBe(true);
    expect(catalog.uses('geoip', 'handler')).toBe(true);
    expect(catalog.uses('geoip', null)).toBe(false);
    catalog.setRoutes([{ stream: 'web', pipeline: 'calls-nginx' }]);
    expect(catalog.uses('geoip', null)).toBe(true);
  });
});
