/**
 * Elasticsearch's `filter_path` response filtering: comma-separated dotted paths where `*` matches
 * one level and `**` any number of levels; a leading `-` excludes instead.
 */
export function applyFilterPath(value: unknown, filterPath: string | undefined): unknown {
  if (!filterPath) return value;
  const specs = filterPath
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const includes = specs.filter((s) => !s.startsWith('-')).map((s) => s.split('.'));
  const excludes = specs.filter((s) => s.startsWith('-')).map((s) => s.slice(1).split('.'));
  let out = includes.length > 0 ? include(value, includes) : value;
  if (excludes.length > 0 && out !== undefined) out = exclude(out, excludes);
  return out === undefined ? {} : out;
}

function matches(pattern: string, key: string): boolean {
  if (pattern === '*' || pattern === '**') return true;
  if (!pattern.includes('*')) return pattern === key;
  const re = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
  return re.test(key);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function include(value: unknown, paths: string[][]): unknown {
  if (paths.some((p) => p.length === 0)) return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => include(v, paths)).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const next: string[][] = [];
    for (const p of paths) {
      const head = p[0]!;
      if (head === '**') {
        next.push(p); // ** may consume this level…
        if (p.length > 1 && matches(p[1]!, key)) next.push(p.slice(2)); // …or none
      } else if (matches(head, key)) {
        next.push(p.slice(1));
      }
    }
    if (next.length === 0) continue;
    const kept = include(child, next);
    if (kept !== undefined) out[key] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function exclude(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((v) => exclude(v, paths));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const next: string[][] = [];
    let drop = false;
    for (const p of paths) {
      const head = p[0]!;
      if (head === '**') {
        next.push(p); // ** may consume this level…
        if (p.length > 1 && matches(p[1]!, key)) {
          if (p.length === 2)
            drop = true; // …or none
          else next.push(p.slice(2));
        }
      } else if (matches(head, key)) {
        if (p.length === 1) drop = true;
        else next.push(p.slice(1));
      }
    }
    if (drop) continue;
    out[key] = next.length > 0 ? exclude(child, next) : child;
  }
  return out;
}
