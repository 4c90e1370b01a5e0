import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { displayWidth, formatCount, formatTable, oneLine, terminalWidth, truncate } from './format-table.js';

describe('formatTable', () => {
  const columns = [
    { header: 'LEVEL' },
    { header: 'N', align: 'right' as const },
    { header: 'MESSAGE', flex: true },
  ];

  it('aligns columns to their widest cell and leaves no trailing spaces', () => {
    const text = formatTable(
      [
        ['INFO', '7', 'started'],
        ['ERROR', '1234', ''],
      ],
      { columns, width: 80 },
    );
    expect(text).toBe(['LEVEL     N  MESSAGE', 'INFO      7  started', 'ERROR  1234', ''].join('\n'));
  });

  it('narrows the flex column to fit the width, cutting cells with an ellipsis', () => {
    const text = formatTable([['WARN', '1', 'Retrying inventory reservation for order ORD-1234567']], {
      columns,
      width: 30,
    });
    expect(text).toBe(['LEVEL  N  MESSAGE', 'WARN   1  Retrying inventory…', ''].join('\n'));
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(30);
  });

  it('keeps the flex column at its minimum width on very narrow terminals', () => {
    const text = formatTable([['INFO', 'a long message that will not fit']], {
      columns: [{ header: 'LEVEL' }, { header: 'MESSAGE', flex: true, minWidth: 12 }],
      width: 10,
    });
    expect(text).toBe(['LEVEL  MESSAGE', 'INFO   a long mess…', ''].join('\n'));
  });

  it('caps columns at maxWidth and puts multi-line cells on one line', () => {
    const text = formatTable([['a-very-long-service-name', 'line one\n\tline two']], {
      columns: [{ header: 'SERVICE', maxWidth: 10 }, { header: 'MESSAGE' }],
      width: 80,
      gap: 1,
    });
    expect(text).toBe(['SERVICE    MESSAGE', 'a-very-lo… line one ⏎ line two', ''].join('\n'));
  });
});

describe('cell text', () => {
  it.each([
    ['abc', 5, 'abc'],
    ['abcdef', 5, 'abcd…'],
    ['ab   cdef', 5, 'ab…'],
    ['héllo wörld', 6, 'héllo…'],
    ['🚀🚀🚀', 2, '🚀…'],
    ['x', 0, ''],
  ])('truncate(%j, %d) is %j', (text, width, expected) => {
    expect(truncate(text, width)).toBe(expected);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(displayWidth('🚀ab')).toBe(3);
  });

  it('turns line breaks and control characters (escape sequences too) into spaces', () => {
    expect(oneLine('a\r\n  b\tc\u001b[31md  ')).toBe('a ⏎ b c [31md');
  });

  it('formats counts with thousands separators', () => {
    expect(formatCount(1234567.4)).toBe('1,234,567');
  });
});

describe('terminalWidth', () => {
  it('prefers the terminal, then COLUMNS, then 80', () => {
    const tty = Object.assign(new PassThrough(), { columns: 132 });
    expect(terminalWidth({ stdout: tty, env: { COLUMNS: '90' } })).toBe(132);
    expect(terminalWidth({ stdout: new PassThrough(), env: { COLUMNS: '90' } })).toBe(90);
    expect(terminalWidth({ stdout: new PassThrough(), env: { COLUMNS: 'wide' } })).toBe(80);
  });
});
