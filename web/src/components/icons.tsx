import type { JSX } from 'preact';

const PATHS = {
  search:
    'M10.5 3a7.5 7.5 0 015.9 12.1l4.3 4.3-1.4 1.4-4.3-4.3A7.5 7.5 0 1110.5 3zm0 2a5.5 5.5 0 100 11 5.5 5.5 0 000-11z',
  clock:
    'M12 2a10 10 0 110 20 10 10 0 010-20zm0 2a8 8 0 100 16 8 8 0 000-16zm1 3v5.4l3.6 2.1-1 1.7L11 13.5V7z',
  refresh: 'M17.7 6.3A8 8 0 104 12h2a6 6 0 1010.3-4.3L13 11h8V3z',
  plus: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z',
  minus: 'M5 11h14v2H5z',
  close: 'M6.4 5L12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z',
  columns: 'M3 4h18v16H3zm2 2v12h4V6zm6 0v12h2V6zm4 0v12h4V6z',
  copy: 'M8 3h11v13h-2V5H8zM5 7h10v14H5zm2 2v10h6V9z',
  download: 'M11 3h2v10l3.5-3.5 1.4 1.4L12 16.8l-5.9-5.9 1.4-1.4L11 13zM4 19h16v2H4z',
  upload: 'M11 21h2V11l3.5 3.5 1.4-1.4L12 7.2l-5.9 5.9 1.4 1.4L11 11zM4 3h16v2H4z',
  play: 'M7 4l13 8-13 8z',
  pause: 'M6 4h4v16H6zm8 0h4v16h-4z',
  chevronDown: 'M6.4 8.6L12 14.2l5.6-5.6L19 10l-7 7-7-7z',
  chevronRight: 'M8.6 5L15.6 12l-7 7-1.4-1.4 5.6-5.6-5.6-5.6z',
  edit: 'M14.1 4.5l5.4 5.4L9 20.4H3.6V15zm0 2.8L5.6 15.8v2.6h2.6l8.5-8.5z',
  trash: 'M9 3h6l1 2h4v2H4V5h4zm-3 6h12l-1 12H7zm2 2l.7 8h6.6l.7-8z',
  duplicate: 'M4 4h11v3h-2V6H6v9h1v2H4zm5 5h11v11H9zm2 2v7h7v-7z',
  sun: 'M12 7a5 5 0 110 10 5 5 0 010-10zM11 1h2v3h-2zm0 19h2v3h-2zM1 11h3v2H1zm19 0h3v2h-3zM4.2 5.6l1.4-1.4 2.1 2.1-1.4 1.4zm12.1 12.1l1.4-1.4 2.1 2.1-1.4 1.4zM4.2 18.4l2.1-2.1 1.4 1.4-2.1 2.1zM16.3 6.3l2.1-2.1 1.4 1.4-2.1 2.1z',
  moon: 'M14.5 2.5A9.5 9.5 0 1021.5 15a7.5 7.5 0 01-7-12.5z',
  discover: 'M4 5h16v2H4zm0 6h10v2H4zm0 6h13v2H4z',
  dashboard: 'M3 3h8v10H3zm10 0h8v6h-8zM3 15h8v6H3zm10-4h8v10h-8z',
  streams:
    'M3 6c3-3 6 3 9 0s6 3 9 0v3c-3 3-6-3-9 0s-6-3-9 0zm0 6c3-3 6 3 9 0s6 3 9 0v3c-3 3-6-3-9 0s-6-3-9 0z',
  pipeline: 'M3 5h6v4H3zm12 0h6v4h-6zM9 6h6v2H9zm3 2h2v5h4v4h-6v-4h1V8zM3 15h6v4H3zm6 1h3v2H9z',
  expand: 'M4 4h6v2H6v4H4zm10 0h6v6h-2V6h-4zM4 14h2v4h4v2H4zm14 0h2v6h-6v-2h4z',
  drag: 'M9 5h2v2H9zm4 0h2v2h-2zM9 11h2v2H9zm4 0h2v2h-2zm-4 6h2v2H9zm4 0h2v2h-2z',
  warning: 'M12 2l10 18H2zm-1 7v5h2V9zm0 7v2h2v-2z',
  external: 'M14 3h7v7h-2V6.4l-8.3 8.3-1.4-1.4L17.6 5H14zM5 5h6v2H6v11h11v-5h2v7H4V5z',
  keyboard:
    'M2 6h20v12H2zm2 2v8h16V8zm1 1h2v2H5zm3 0h2v2H8zm3 0h2v2h-2zm3 0h2v2h-2zm3 0h2v2h-2zM7 13h10v2H7z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon(props: { name: IconName; size?: number; title?: string; class?: string }): JSX.Element {
  const size = props.size ?? 16;
  const cls = `icon ${props.class ?? ''}`;
  const path = <path d={PATHS[props.name]} fill="currentColor" />;
  if (props.title) {
    return (
      <svg class={cls} width={size} height={size} viewBox="0 0 24 24" role="img">
        <title>{props.title}</title>
        {path}
      </svg>
    );
  }
  // Decorative: the button or link around it carries the label.
  return (
    <svg class={cls} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      {path}
    </svg>
  );
}

/** The badge of a field's type in field lists: t (text), # (number), ⊤ (boolean), a clock, IP. */
export function FieldTypeIcon(props: { type: string }): JSX.Element {
  const label: Record<string, string> = { string: 't', number: '#', boolean: 'b', ip: 'IP' };
  const base = props.type.replace('[]', '');
  return (
    <span class={`field-type field-type-${base}`} title={`${props.type} field`}>
      {base === 'timestamp' ? <Icon name="clock" size={12} /> : (label[base] ?? '?')}
    </span>
  );
}
