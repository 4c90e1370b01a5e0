import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** A panel anchored under its trigger; closes on Esc and on a click outside. */
export function Popover(props: {
  open: boolean;
  onClose: () => void;
  children: ComponentChildren;
  class?: string;
  align?: 'left' | 'right';
}): JSX.Element | null {
  const ref = useRef<HTMLDivElement>(null);
  const { open, onClose } = props;
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    const onDown = (e: PointerEvent) => {
      const el = ref.current;
      if (el && !el.contains(e.target as Node) && !el.parentElement?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('pointerdown', onDown, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', onDown, true);
    };
  }, [open, onClose]);
  if (!open) return null;
  return (
    <div ref={ref} class={`popover popover-${props.align ?? 'left'} ${props.class ?? ''}`}>
      {props.children}
    </div>
  );
}

/** A dialog over the page; Esc or the backdrop closes it. */
export function Modal(props: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  wide?: boolean;
}): JSX.Element {
  const { onClose } = props;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div class="modal-backdrop" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        class={`modal ${props.wide ? 'modal-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
      >
        <header class="modal-header">
          <h2>{props.title}</h2>
          <button type="button" class="btn btn-icon" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div class="modal-body">{props.children}</div>
        {props.footer ? <footer class="modal-footer">{props.footer}</footer> : null}
      </div>
    </div>
  );
}
