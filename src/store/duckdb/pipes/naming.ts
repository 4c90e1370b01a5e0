/**
 * Internal column names for what a pipeline defines (`__p1`, `__p2`, …). They never come from the
 * query text, and the prefix grows (`___p1`) until no stored field name starts with it, so a
 * defined column cannot collide with a stored one that stages pass through.
 */
export class Naming {
  private count = 0;
  private readonly prefix: string;

  constructor(storedNames: readonly string[]) {
    let prefix = '__p';
    while (storedNames.some((n) => n.startsWith(prefix))) prefix = `_${prefix}`;
    this.prefix = prefix;
  }

  next(): string {
    return `${this.prefix}${++this.count}`;
  }
}
