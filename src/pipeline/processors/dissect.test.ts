import { describe, expect, it } from 'vitest';
import { parsed } from '../test-support.js';

const dissect = (pattern: string, line: string, extra: Record<string, unknown> = {}) =>
  parsed([{ dissect: { pattern, ...extra } }], line);

describe('dissect', () => {
  it('splits on literal delimiters; the last key takes the rest', () => {
    expect(
      dissect(
        '%{date} %{time} %{pid} %{lvl} %{component}: %{msg}',
        '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating',
      ),
    ).toEqual({
      date: '081109',
      time: '203615',
      pid: '148',
      lvl: 'INFO',
      component: 'dfs.DataNode$PacketResponder',
      msg: 'PacketResponder 1 for block blk_38865049064139660 terminating',
    });
  });

  it('skips padding with ->, skips keys with ? and appends with +', () => {
    expect(
      dissect(
        '%{+ts} %{+ts}, %{level->} %{?component} %{msg}',
        '2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack',
        {
          append_separator: 'T',
        },
      ),
      // `level` is a well-known field: normalisation gives it its canonical spelling.
    ).toEqual({ ts: '2016-09-28T04:30:30', level: 'INFO', msg: '   Loaded Servicing Stack' });
  });

  it('builds keys from values with * and &', () => {
    expect(dissect('%{*k1}=%{&k1} %{*k2}=%{&k2}', 'user=ana role=admin')).toEqual({
      user: 'ana',
      role: 'admin',
    });
  });

  it('fails with _dissectfailure when a delimiter is missing', () => {
    expect(dissect('%{a} [%{b}]', 'no brackets here')).toEqual({ tags: ['_dissectfailure'] });
  });
});
