import type { JSX, TargetedKeyboardEvent } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FieldInfo, TopValue } from '../api/types.js';
import { formatCount } from '../lib/format.js';
import {
  type CompletionContext,
  completionAt,
  literal,
  PIPE_COMMANDS,
  PIPE_FUNCTIONS,
  tokenize,
} from '../lib/query-text.js';
import { FieldTypeIcon } from './icons.js';

interface Suggestion {
  label: string;
  insert: string;
  kind: 'field' | 'value' | 'command' | 'operator' | 'function';
  detail?: string;
  type?: string;
}

const MAX_SUGGESTIONS = 12;

/**
 * The search bar: a textarea over a highlighted copy of its text, so the caret and selection are the
 * browser's own. Autocompletes field names, top values and pipe commands; marks the error position the
 * server reported. Enter runs, Shift+Enter breaks the line.
 */
export function QueryInput(props: {
  value: string;
  onChange: (text: string) => void;
  onSubmit: (text: string) => void;
  fields: FieldInfo[];
  /** The most frequent values of a field, for completing `field:`; asked once per field and `valuesKey`. */
  loadValues?: (field: string) => Promise<TopValue[]>;
  /** Changes when the values may have changed (another time range). */
  valuesKey?: string;
  errorPosition?: number | null;
  placeholder?: string;
  inputRef?: { current: HTMLTextAreaElement | null };
  testId?: string;
}): JSX.Element {
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const ref = props.inputRef ?? ownRef;
  const preRef = useRef<HTMLPreElement>(null);
  const [ctx, setCtx] = useState<CompletionContext | null>(null);
  const [open, setOpen] = useState(false);
  // -1: nothing picked yet, so Enter runs the query; arrows pick a suggestion, Tab takes the first.
  const [active, setActive] = useState(-1);

  const [values, setValues] = useState<Map<string, TopValue[]>>(new Map());
  const asked = useRef(new Set<string>());
  const { loadValues, valuesKey } = props;
  // A new key (another time range) starts a fresh cache.
  useEffect(() => {
    asked.current = new Set();
    setValues(new Map());
  }, [valuesKey]);
  const valueField = ctx?.kind === 'value' ? ctx.field : null;
  useEffect(() => {
    if (!valueField || !loadValues || asked.current.has(valueField)) return;
    asked.current.add(valueField);
    loadValues(valueField).then(
      (top) => setValues((m) => new Map(m).set(valueField, top)),
      () => undefined,
    );
  }, [valueField, loadValues]);
  const suggestions = useMemo(
    () => (ctx ? suggest(ctx, props.fields, values) : []),
    [ctx, props.fields, values],
  );
  const showList = open && suggestions.length > 0;

  useLayoutEffect(() => {
    const ta = ref.current;
    if (!ta) return;
    ta.style.height = 'auto';
    ta.style.height = `${Math.min(ta.scrollHeight, 160)}px`;
  }, [props.value, ref]);

  const updateContext = () => {
    const ta = ref.current;
    if (!ta) return;
    const caret = ta.selectionStart;
    if (caret !== ta.selectionEnd) return setCtx(null);
    setCtx(completionAt(ta.value, caret));
    setActive(-1);
  };

  const accept = (s: Suggestion) => {
    const ta = ref.current;
    if (!ta || !ctx) return;
    const before = props.value.slice(0, ctx.start);
    const after = props.value.slice(ctx.end);
    const spacer = s.insert.endsWith(':') || s.insert.endsWith('(') || after.startsWith(' ') ? '' : ' ';
    const text = `${before}${s.insert}${spacer}${after}`;
    const caret = before.length + s.insert.length + spacer.length;
    props.onChange(text);
    setCtx(completionAt(text, caret));
    setActive(-1);
    // After a field name, go straight on to its values; after a value or command, close the list.
    setOpen(s.insert.endsWith(':'));
    // The caret moves once Preact has written the new value.
    requestAnimationFrame(() => {
      ta.focus();
      ta.setSelectionRange(caret, caret);
    });
  };

  const onKeyDown = (e: TargetedKeyboardEvent<HTMLTextAreaElement>) => {
    if (showList) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = suggestions.length;
        setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : a <= 0 ? n - 1 : a - 1));
        return;
      }
      if ((e.key === 'Tab' && !e.shiftKey) || (e.key === 'Enter' && active >= 0)) {
        e.preventDefault();
        const s = suggestions[Math.max(0, active)];
        if (s) accept(s);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      setOpen(false);
      props.onSubmit(e.currentTarget.value);
    } else if (e.key === 'Escape') {
      e.currentTarget.blur();
    }
  };

  return (
    <div class={`query-input ${props.errorPosition != null ? 'has-error' : ''}`}>
      <pre ref={preRef} class="query-highlight" aria-hidden="true">
        {highlight(props.value, props.errorPosition ?? null)}
        {'\n'}
      </pre>
      <textarea
        ref={ref}
        class="query-textarea"
        rows={1}
        spellcheck={false}
        autocomplete="off"
        autocapitalize="off"
        value={props.value}
        placeholder={
          props.placeholder ?? 'Search… level:ERROR AND service:api, or | stats count() by service'
        }
        data-testid={props.testId ?? 'query-input'}
        aria-label="Query"
        aria-autocomplete="list"
        onInput={(e) => {
          props.onChange(e.currentTarget.value);
          setOpen(true);
          updateContext();
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => {
          if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End')
            updateContext();
        }}
        onClick={updateContext}
        onFocus={() => {
          updateContext();
          setOpen(true);
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onScroll={(e) => {
          if (preRef.current) preRef.current.scrollTop = e.currentTarget.scrollTop;
        }}
      />
      {showList ? (
        <div class="suggestions" role="listbox" data-testid="suggestions">
          {suggestions.map((s, i) => (
            <div
              key={`${s.kind}:${s.label}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              class={i === active ? 'active' : ''}
              onPointerDown={(e) => {
                e.preventDefault();
                accept(s);
              }}
              onPointerEnter={() => setActive(i)}
            >
              {s.type ? (
                <FieldTypeIcon type={s.type} />
              ) : (
                <span class={`suggestion-kind kind-${s.kind}`}>{s.kind[0]}</span>
              )}
              <span class="suggestion-label">{s.label}</span>
              {s.detail ? <span class="suggestion-detail">{s.detail}</span> : null}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function highlight(text: string, errorAt: number | null): JSX.Element[] {
  const out: JSX.Element[] = [];
  for (const t of tokenize(text)) {
    const s = text.slice(t.start, t.end);
    if (errorAt !== null && errorAt >= t.start && errorAt < t.end) {
      const k = errorAt - t.start;
      out.push(<span class={`tok-${t.kind}`}>{s.slice(0, k)}</span>);
      out.push(<span class={`tok-${t.kind} tok-error`}>{s.slice(k, k + 1)}</span>);
      out.push(<span class={`tok-${t.kind}`}>{s.slice(k + 1)}</span>);
    } else out.push(<span class={`tok-${t.kind}`}>{s}</span>);
  }
  if (errorAt !== null && errorAt >= text.length) out.push(<span class="tok-error tok-error-end"> </span>);
  return out;
}

function rank(name: string, prefix: string): number {
  if (prefix === '') return 1;
  const n = name.toLowerCase();
  const p = prefix.toLowerCase();
  if (n.startsWith(p)) return 0;
  if (n.split(/[._-]/).some((part) => part.startsWith(p))) return 1;
  return n.includes(p) ? 2 : -1;
}

function suggest(ctx: CompletionContext, fields: FieldInfo[], values: Map<string, TopValue[]>): Suggestion[] {
  switch (ctx.kind) {
    case 'command':
      return PIPE_COMMANDS.filter((c) => c.startsWith(ctx.prefix.toLowerCase())).map((c) => ({
        label: c,
        insert: c,
        kind: 'command' as const,
      }));
    case 'value': {
      const top = values.get(ctx.field) ?? fields.find((f) => f.name === ctx.field)?.top_values ?? [];
      return top
        .filter((v) => rank(String(v.value), ctx.prefix) >= 0)
        .slice(0, MAX_SUGGESTIONS)
        .map((v) => ({
          label: String(v.value),
          insert: literal(v.value),
          kind: 'value' as const,
          detail: formatCount(v.count),
        }));
    }
    case 'field': {
      const matches = fields
        .map((f) => ({ f, r: rank(f.name, ctx.prefix) }))
        .filter((m) => m.r >= 0 && !(ctx.prefix !== '' && m.f.name === ctx.prefix))
        .sort((a, b) => a.r - b.r || b.f.count - a.f.count)
        .slice(0, MAX_SUGGESTIONS)
        .map(({ f }) => ({
          label: f.name,
          insert: ctx.pipes ? f.name : `${f.name.replace(/[\s:\\()]/g, '\\$&')}:`,
          kind: 'field' as const,
          type: f.type,
          detail: formatCount(f.count),
        }));
      const extra: Suggestion[] = ctx.pipes
        ? PIPE_FUNCTIONS.filter((fn) => ctx.prefix !== '' && fn.startsWith(ctx.prefix.toLowerCase())).map(
            (fn) => ({
              label: `${fn}()`,
              insert: `${fn}(`,
              kind: 'function' as const,
            }),
          )
        : ['AND', 'OR', 'NOT']
            .filter((op) => ctx.prefix !== '' && op.startsWith(ctx.prefix) && op !== ctx.prefix)
            .map((op) => ({ label: op, insert: op, kind: 'operator' as const }));
      return [...extra, ...matches].slice(0, MAX_SUGGESTIONS);
    }
  }
}
