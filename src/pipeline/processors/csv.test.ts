import { describe, expect, it } from 'vitest';
import { parsed } from '../test-support.js';
import { parseCsvLine } from './csv.js';

describe('csv', () => {
  it('reads quoted values with separators and doubled quotes', () => {
    expect(parseCsvLine('1,"Zookeeper, quorum","say ""hi""",', ',', '"')).toEqual([
      '1',
      'Zookeeper, quorum',
      'say "hi"',
      '',
    ]);
    expect(parseCsvLine('"open', ',', '"')).toBeNull();
  });

  it('names columns, generates names for extra ones, and leaves out empty ones', () => {
    expect(
      parsed([{ csv: { columns: ['line', 'date', 'time'], trim: true } }], '1, 2015-07-29 , 17:41:44,extra,'),
    ).toEqual({ line: '1', date: '2015-07-29', time: '17:41:44', column4: 'extra' });
  });

  it('uses another separator and empty_value', () => {
    expect(parsed([{ csv: { separator: '|', columns: ['a', 'b'], empty_value: '-' } }], 'x||')).toEqual({
      a: 'x',
      b: '-',
      column3: '-',
    });
  });
});
