/**
 * The stream an Elasticsearch index name writes to: the name without its date or rollover suffix,
 * so daily indices of one source land in one stream (`logs-2024.01.15` → `logs`,
 * `filebeat-8.11.0-2024.01.15-000001` → `filebeat-8.11.0`).
 */
export function streamFromIndex(index: string): string {
  let name = index.startsWith('.ds-') ? index.slice(4) : index; // a data stream's backing index
  name = name.replace(/-\d{6}$/, ''); // ILM rollover counter
  name = name.replace(/[-_.](19|20)\d{2}([-_.]?\d{2}){0,2}$/, ''); // date suffix: -2024.01.15, _20240115, -2024-01
  return name === '' ? index : name;
}

/** Why an index name is invalid, as Elasticsearch would say it, or null when it is fine. */
export function invalidIndexReason(index: string): string | null {
  if (index.length === 0) return 'must not be empty';
  if (index !== index.toLowerCase()) return 'must be lowercase';
  if (/[\\/*?"<>| ,#:]/.test(index))
    return 'must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?, #, :]';
  if (/^[-_+]/.test(index)) return "must not start with '_', '-', or '+'";
  if (index === '.' || index === '..') return "must not be '.' or '..'";
  if (Buffer.byteLength(index) > 255) return 'index name is too long, (> 255)';
  return null;
}
