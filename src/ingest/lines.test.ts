import { describe, expect, it } from 'vitest';
import { describeJsonError, forEachLine } from './lines.js';

function collect(body: string): [string, number][] {
  const out: [string, number][] = [];
  forEachLine(body, (line, n) => out.push([line, n]));
  return out;
}

describe('forEachLine', () => {
  const cases: { body: string; want: [string, number][] }[] = [
    { body: '', want: [] },
    { body: 'a', want: [['a', 1]] },
    { body: 'a\n', want: [['a', 1]] },
    {
      body: 'a\nb',
      want: [
        ['a', 1],
        ['b', 2],
      ],
    },
    {
      body: 'a\r\nb\r\n',
      want: [
        ['a', 1],
        ['b', 2],
      ],
    },
    { body: '\n', want: [['', 1]] },
    {
      body: '\n\n',
      want: [
        ['', 1],
        ['', 2],
      ],
    },
    {
      body: 'a\n\nb\n',
      want: [
        ['a', 1],
        ['', 2],
        ['b', 3],
      ],
    },
    { body: '\r\n', want: [['', 1]] },
    { body: 'a\rb\n', want: [['a\rb', 1]] },
    { body: 'a\r\r\n', want: [['a\r', 1]] },
    {
      body: ' x \n\ty\t',
      want: [
        [' x ', 1],
        ['\ty\t', 2],
      ],
    },
    {
      body: 'é😀\nü',
      want: [
        ['é😀', 1],
        ['ü', 2],
      ],
    },
  ];
  for (const c of cases) {
    it(`splits ${JSON.stringify(c.body)}`, () => {
      expect(collect(c.body)).toStrictEqual(c.want);
    });
  }
});

describe('describeJsonError', () => {
  function errorOf(text: string): unknown {
    try {
      JSON.parse(text);
    } catch (err) {
      return err;
    }
    throw new Error(`${text} parsed`);
  }

  const cases: { name: string; err: unknown; want: string }[] = [
    { name: 'end of input', err: errorOf('{"a":'), want: 'invalid JSON: Unexpected end of JSON input' },
    {
      name: "V8's unexpected token, reworded",
      err: errorOf('{"a":}'),
      want: 'invalid JSON: unexpected character \'}\', "{"a":}" is not valid JSON',
    },
    {
      name: 'a missing property name',
      err: errorOf('{a:1}'),
      want: "invalid JSON: Expected property name or '}' in JSON at position 1",
    },
    {
      name: "another engine's JSON.parse prefix",
      err: new Error('JSON.parse: bad control character'),
      want: 'invalid JSON: bad control character',
    },
    { name: 'a thrown string', err: 'boom', want: 'invalid JSON: boom' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(describeJsonError(c.err)).toBe(c.want);
    });
  }
});
