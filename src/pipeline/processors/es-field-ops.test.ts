import { describe, expect, it } from 'vitest';
import { runPipelineOn, testCatalog } from '../test-support.js';

const run = (processors: unknown[], input: Record<string, unknown>) =>
  runPipelineOn({ processors }, { message: 'm', ...input }).fields;

describe("Elasticsearch's single-purpose processors", () => {
  it('set: values, Mustache templates, override, ignore_empty_value and copy_from', () => {
    expect(
      run(
        [
          { set: { field: 'event.kind', value: 'event' } },
          { set: { field: 'greeting', value: 'hello {{user.name}} from {{{_source.host.name}}}' } },
          { set: { field: 'absent', value: '{{nope}}', ignore_empty_value: true } },
          { set: { field: 'user.name', value: 'bob', override: false } },
          { set: { field: 'copy', copy_from: 'user' } },
          { set: { field: 'n', value: 3 } },
        ],
        { user: { name: 'ann', id: 7 }, host: { name: 'web-1' } },
      ),
    ).toMatchObject({
      'event.kind': 'event',
      greeting: 'hello ann from web-1',
      'user.name': 'ann',
      'copy.name': 'ann',
      'copy.id': 7,
      n: 3,
    });
    expect(
      run([{ set: { field: 'absent', value: '{{nope}}', ignore_empty_value: true } }], {}),
    ).not.toHaveProperty('absent');
  });

  it('rename: moves a field and the fields below it; refuses to overwrite; ignore_missing', () => {
    expect(
      run([{ rename: { field: 'src', target_field: 'source' } }], { src: { ip: '1.2.3.4', port: 80 } }),
    ).toMatchObject({
      'source.ip': '1.2.3.4',
      'source.port': 80,
    });
    const clash = run([{ rename: { field: 'a', target_field: 'b' } }], { a: 1, b: 2 });
    expect(clash).toMatchObject({ a: 1, b: 2, tags: ['_rename_error'] });
    expect(run([{ rename: { field: 'x', target_field: 'y', ignore_missing: true } }], {})).not.toHaveProperty(
      'tags',
    );
    expect(run([{ rename: { field: 'x', target_field: 'y' } }], {})['tags']).toEqual(['_rename_error']);
  });

  it('remove: one field, a list, and keep', () => {
    expect(
      run([{ remove: { field: ['agent', 'ecs'] } }], { agent: { name: 'fb' }, ecs: { version: '8' }, x: 1 }),
    ).toEqual({
      message: 'm',
      x: 1,
    });
    expect(run([{ remove: { keep: ['message', 'x'] } }], { a: 1, x: { y: 2 } })).toEqual({
      message: 'm',
      'x.y': 2,
    });
    expect(run([{ remove: { field: 'nope' } }], {})['tags']).toEqual(['_remove_error']);
  });

  it('convert: integer, float, boolean, ip and auto, with failures as Elasticsearch words them', () => {
    expect(
      run(
        [
          { convert: { field: 'status', type: 'integer' } },
          { convert: { field: 'took', type: 'float', target_field: 'took_f' } },
          { convert: { field: 'ok', type: 'boolean' } },
          { convert: { field: 'ip', type: 'ip' } },
          { convert: { field: 'list', type: 'long' } },
          { convert: { field: 'guess', type: 'auto' } },
        ],
        { status: '404', took: '1.5', ok: 'TRUE', ip: '10.0.0.1', list: ['1', '2'], guess: '42' },
      ),
    ).toMatchObject({ status: 404, took_f: 1.5, ok: true, ip: '10.0.0.1', list: [1, 2], guess: 42 });
    const bad = runPipelineOn(
      {
        processors: [
          {
            convert: {
              field: 'status',
              type: 'integer',
              on_failure: [{ set: { field: 'error.message', value: '{{_ingest.on_failure_message}}' } }],
            },
          },
        ],
      },
      { message: 'm', status: 'abc' },
    );
    expect(bad.fields['status']).toBe('abc');
    const tagged = run([{ convert: { field: 'status', type: 'integer' } }], { status: 'abc' });
    expect(tagged['tags']).toEqual(['_convert_error']);
  });

  it('lowercase, uppercase, trim, urldecode, gsub, split and join', () => {
    expect(
      run(
        [
          { lowercase: { field: 'method' } },
          { uppercase: { field: 'code', target_field: 'code_uc' } },
          { trim: { field: 'pad' } },
          { urldecode: { field: 'q' } },
          { gsub: { field: 'path', pattern: '\\d+', replacement: 'N' } },
          { split: { field: 'csv', separator: '\\s*,\\s*' } },
          { join: { field: 'parts', separator: '/' } },
        ],
        {
          method: 'GET',
          code: 'abc',
          pad: '  x  ',
          q: 'a%20b+c',
          path: '/users/42/orders/7',
          csv: 'a , b,c,,',
          parts: ['x', 'y'],
        },
      ),
    ).toMatchObject({
      method: 'get',
      code_uc: 'ABC',
      pad: 'x',
      q: 'a b c',
      path: '/users/N/orders/N',
      csv: ['a', 'b', 'c'],
      parts: 'x/y',
    });
    expect(run([{ lowercase: { field: 'n' } }], { n: 5 })['tags']).toEqual(['_lowercase_error']);
  });

  it('append: adds values and templates, with or without duplicates', () => {
    expect(
      run(
        [
          { append: { field: 'tags', value: ['web', 'prod'] } },
          { append: { field: 'tags', value: 'web', allow_duplicates: false } },
          { append: { field: 'related.user', value: '{{user}}' } },
        ],
        { tags: 'edge', user: 'ann' },
      ),
    ).toMatchObject({ tags: ['edge', 'web', 'prod'], 'related.user': ['ann'] });
  });

  it('fail: fails with its message, which on_failure can read', () => {
    const out = run([{ fail: { message: 'no {{kind}} allowed', tag_on_failure: ['_failed'] } }], {
      kind: 'cats',
    });
    expect(out['tags']).toEqual(['_failed']);
  });

  it('runs a pipeline as a shipper would install it in Elasticsearch', () => {
    const catalog = testCatalog();
    const [installed] = catalog.setInstalled([
      {
        id: 'nginx-es',
        definition: {
          description: 'nginx access, Elasticsearch style',
          processors: [
            {
              grok: {
                field: 'message',
                patterns: [
                  '%{IPORHOST:source.address} %{WORD:http.request.method} %{NUMBER:http.response.status_code}',
                ],
              },
            },
            { convert: { field: 'http.response.status_code', type: 'long' } },
            { lowercase: { field: 'http.request.method' } },
            { set: { field: 'event.dataset', value: 'nginx.access' } },
            { rename: { field: 'source.address', target_field: 'source.ip', ignore_missing: true } },
            { remove: { field: 'message', ignore_missing: true } },
          ],
        },
      },
    ]);
    expect(installed?.error).toBeNull();
    const out = runPipelineOn('nginx-es', '10.1.2.3 GET 200', { catalog });
    expect(out.fields).toEqual({
      'source.ip': '10.1.2.3',
      'http.request.method': 'get',
      'http.response.status_code': 200,
      'event.dataset': 'nginx.access',
    });
  });
});
