import { describe, expect, it } from 'vitest';
import { runPipelineOn } from '../test-support.js';

const mutate = (options: Record<string, unknown>, input: Record<string, unknown>) =>
  runPipelineOn({ processors: [{ mutate: options }] }, { message: 'm', ...input }).fields;

describe('mutate', () => {
  it('converts as the seeds do (response, bytes to integer, responsetime to float)', () => {
    expect(
      mutate(
        { convert: { response: 'integer', bytes: 'integer', responsetime: 'float', ok: 'boolean' } },
        {
          response: '404',
          bytes: '571',
          responsetime: '0.25',
          ok: 'yes',
        },
      ),
    ).toEqual({ message: 'm', response: 404, bytes: 571, responsetime: 0.25, ok: true });
  });

  it('renames and copies whole objects (their dotted fields)', () => {
    expect(
      mutate(
        { rename: { container: 'docker.container' }, copy: { 'docker.container.name': 'service' } },
        {
          container: { name: 'api', id: 'c0ffee' },
        },
      ),
    ).toEqual({
      message: 'm',
      'docker.container.name': 'api',
      'docker.container.id': 'c0ffee',
      service: 'api',
    });
  });

  it('adds fields and tags with %{field} references, removes fields with their sub-fields', () => {
    const fields = mutate(
      {
        add_field: { service: '%{[container][name]}', 'index.name': 'logs-%{+YYYY.MM.dd}' },
        add_tag: ['from_%{[container][name]}'],
        remove_field: ['agent', 'ecs'],
      },
      { container: { name: 'web' }, agent: { name: 'filebeat', version: '8.11.0' }, ecs: { version: '8.0' } },
    );
    expect(fields).toEqual({
      message: 'm',
      'container.name': 'web',
      service: 'web',
      'index.name': 'logs-2026.11.21',
      tags: ['from_web'],
    });
  });

  it('gsubs with back-references, changes case, strips, splits, joins and merges', () => {
    expect(
      mutate(
        {
          gsub: ['path', '/users/(\\d+)', '/users/:id\\1', 'ip', '\\s', ''],
          uppercase: ['method'],
          lowercase: ['Host'],
          strip: ['pad'],
          split: { list: ',' },
          join: { parts: '-' },
          merge: { all: 'more' },
        },
        {
          path: '/users/42/orders',
          ip: ' 10.0.0.1 ',
          method: 'get',
          Host: 'API.Example.com',
          pad: '  x  ',
          list: 'a,b',
          parts: ['x', 'y'],
          all: 'first',
          more: ['second'],
        },
      ),
    ).toEqual({
      message: 'm',
      path: '/users/:id42/orders',
      ip: '10.0.0.1',
      method: 'GET',
      Host: 'api.example.com',
      pad: 'x',
      list: ['a', 'b'],
      parts: 'x-y',
      all: ['first', 'second'],
      more: ['second'],
    });
  });

  it('skips operations on absent fields, and update only changes present ones', () => {
    expect(
      mutate({ convert: { n: 'integer' }, update: { a: 'x', b: 'y' }, replace: { c: 'z' } }, { a: 1 }),
    ).toEqual({
      message: 'm',
      a: 'x',
      c: 'z',
    });
  });
});
