/** Calls `onLine(text, lineNumber)` for each line of a UTF-8 body (1-based numbers; CR before LF dropped). */
export function forEachLine(body: string, onLine: (line: string, lineNumber: number) => void): void {
  let start = 0;
  let lineNumber = 1;
  const n = body.length;
  while (start <= n) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = n;
    let stop = end;
    if (stop > start && body.charCodeAt(stop - 1) === 13) stop--;
    if (start < n || end < n) onLine(body.slice(start, stop), lineNumber);
    start = end + 1;
    lineNumber++;
  }
}

/** A JSON parse error message without V8's position noise, naming where it failed. */
export function describeJsonError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const cleaned = text.replace(/^Unexpected token/, 'unexpected character').replace(/^JSON\.parse: /, '');
  return `invalid JSON: ${cleaned}`;
}
