import type { PanelLayout } from '../../api/types.js';

/** Columns of the grid (the server checks the same number). */
export const COLUMNS = 12;
export const ROW_HEIGHT = 44;
export const GAP = 10;

export interface Item {
  id: string;
  layout: PanelLayout;
}

function overlaps(a: PanelLayout, b: PanelLayout): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Places `moved` where asked, pushes whatever it overlaps downwards, then floats every panel up as far
 * as it goes (as react-grid-layout's vertical compaction), so the grid never has holes or overlaps.
 */
export function place(items: Item[], moved: Item): Item[] {
  const clamp = {
    w: Math.max(1, Math.min(COLUMNS, moved.layout.w)),
    h: Math.max(1, moved.layout.h),
  };
  const target: Item = {
    id: moved.id,
    layout: {
      x: Math.max(0, Math.min(COLUMNS - clamp.w, moved.layout.x)),
      y: Math.max(0, moved.layout.y),
      ...clamp,
    },
  };
  const others = items.filter((i) => i.id !== moved.id).map((i) => ({ id: i.id, layout: { ...i.layout } }));
  // Resolve overlaps in order of position, pushing each colliding panel just under what it hits.
  const placed: Item[] = [target];
  for (const item of others.sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x)) {
    let hit = placed.find((p) => overlaps(p.layout, item.layout));
    while (hit) {
      item.layout.y = hit.layout.y + hit.layout.h;
      hit = placed.find((p) => overlaps(p.layout, item.layout));
    }
    placed.push(item);
  }
  return compact(placed, target.id);
}

/** Moves every panel up while nothing is above it; `pinned` keeps its row (the one being dragged). */
export function compact(items: Item[], pinned?: string): Item[] {
  const sorted = [...items].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
  const out: Item[] = [];
  const pin = sorted.find((i) => i.id === pinned);
  if (pin) out.push(pin);
  for (const item of sorted) {
    if (item.id === pinned) continue;
    const l = { ...item.layout };
    while (l.y > 0 && !out.some((o) => overlaps(o.layout, { ...l, y: l.y - 1 }))) l.y--;
    while (out.some((o) => overlaps(o.layout, l))) l.y++;
    out.push({ id: item.id, layout: l });
  }
  const order = new Map(items.map((i, k) => [i.id, k]));
  return out.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

export function gridHeight(items: Item[]): number {
  return items.reduce((h, i) => Math.max(h, i.layout.y + i.layout.h), 0);
}
