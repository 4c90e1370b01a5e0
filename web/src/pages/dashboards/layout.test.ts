import { describe, expect, it } from 'vitest';
import { compact, type Item, place } from './layout.js';

const item = (id: string, x: number, y: number, w: number, h: number): Item => ({
  id,
  layout: { x, y, w, h },
});
const pos = (items: Item[]) =>
  Object.fromEntries(items.map((i) => [i.id, [i.layout.x, i.layout.y, i.layout.w, i.layout.h]]));

describe('grid layout', () => {
  const grid = [item('a', 0, 0, 6, 4), item('b', 6, 0, 6, 4), item('c', 0, 4, 12, 3)];

  it('pushes what a moved panel lands on downwards, then floats everything up', () => {
    expect(pos(place(grid, item('c', 0, 0, 12, 3)))).toEqual({
      a: [0, 3, 6, 4],
      b: [6, 3, 6, 4],
      c: [0, 0, 12, 3],
    });
  });

  it('keeps panels inside the 12 columns', () => {
    expect(pos(place(grid, item('a', 10, 0, 6, 4)))).toMatchObject({ a: [6, 0, 6, 4] });
  });

  it('grows a panel and moves the ones below it', () => {
    expect(pos(place(grid, item('a', 0, 0, 6, 6)))).toEqual({
      a: [0, 0, 6, 6],
      b: [6, 0, 6, 4],
      c: [0, 6, 12, 3],
    });
  });

  it('closes the gap a removed panel leaves', () => {
    expect(pos(compact([item('b', 6, 0, 6, 4), item('c', 0, 4, 12, 3)]))).toEqual({
      b: [6, 0, 6, 4],
      c: [0, 4, 12, 3],
    });
    expect(pos(compact([item('c', 0, 9, 12, 3)]))).toEqual({ c: [0, 0, 12, 3] });
  });
});
