import type { ComponentChildren, JSX, TargetedPointerEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelLayout } from '../../api/types.js';
import { COLUMNS, GAP, gridHeight, type Item, place, ROW_HEIGHT } from './layout.js';

interface Drag {
  id: string;
  mode: 'move' | 'resize';
  startX: number;
  startY: number;
  origin: PanelLayout;
}

/**
 * Panels on a 12-column grid. In edit mode a panel moves by its header and resizes by its corner;
 * the others make room, and the new layout is reported when the pointer is released.
 */
export function Grid(props: {
  items: Item[];
  editing: boolean;
  onLayout: (items: Item[]) => void;
  render: (id: string, size: { width: number; height: number }) => ComponentChildren;
}): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1200);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [preview, setPreview] = useState<Item[] | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const colWidth = (width - GAP * (COLUMNS - 1)) / COLUMNS;
  const items = preview ?? props.items;
  const narrow = width < 700;

  useEffect(() => {
    if (!drag) return;
    const onMove = (e: PointerEvent) => {
      const dx = Math.round((e.clientX - drag.startX) / (colWidth + GAP));
      const dy = Math.round((e.clientY - drag.startY) / (ROW_HEIGHT + GAP));
      const o = drag.origin;
      const layout =
        drag.mode === 'move'
          ? { ...o, x: o.x + dx, y: Math.max(0, o.y + dy) }
          : { ...o, w: Math.max(2, o.w + dx), h: Math.max(2, o.h + dy) };
      setPreview(place(props.items, { id: drag.id, layout }));
    };
    const onUp = () => {
      setDrag(null);
      setPreview((p) => {
        if (p) props.onLayout(p);
        return null;
      });
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp, { once: true });
    return () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
    };
  }, [drag, colWidth, props.items, props.onLayout]);

  const start = (e: TargetedPointerEvent<HTMLElement>, id: string, mode: Drag['mode']) => {
    if (!props.editing || e.button !== 0) return;
    if ((e.target as HTMLElement).closest('button, input, select, a')) return;
    e.preventDefault();
    const item = props.items.find((i) => i.id === id);
    if (item) setDrag({ id, mode, startX: e.clientX, startY: e.clientY, origin: { ...item.layout } });
  };

  const rows = gridHeight(items);
  return (
    <div
      ref={box}
      class={`grid ${props.editing ? 'editing' : ''} ${drag ? 'dragging' : ''}`}
      style={{ height: narrow ? 'auto' : `${rows * (ROW_HEIGHT + GAP)}px` }}
      data-testid="dashboard-grid"
    >
      {items.map((item) => {
        const l = item.layout;
        const w = narrow ? width : l.w * colWidth + (l.w - 1) * GAP;
        const h = l.h * ROW_HEIGHT + (l.h - 1) * GAP;
        const style = narrow
          ? { position: 'relative' as const, height: `${h}px`, marginBottom: `${GAP}px` }
          : {
              left: `${l.x * (colWidth + GAP)}px`,
              top: `${l.y * (ROW_HEIGHT + GAP)}px`,
              width: `${w}px`,
              height: `${h}px`,
            };
        return (
          <div
            key={item.id}
            class={`grid-item ${drag?.id === item.id ? 'active' : ''}`}
            style={style}
            data-panel-id={item.id}
            data-layout={`${l.x},${l.y},${l.w},${l.h}`}
            onPointerDown={(e) => {
              if ((e.target as HTMLElement).closest('.panel-header')) start(e, item.id, 'move');
            }}
          >
            {props.render(item.id, { width: w, height: h })}
            {props.editing ? (
              <span
                class="resize-handle"
                title="Drag to resize"
                data-testid="resize-handle"
                onPointerDown={(e) => start(e, item.id, 'resize')}
              />
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
