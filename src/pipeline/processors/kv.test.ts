import { describe, expect, it } from 'vitest';
import { parsed } from '../test-support.js';

const kv = (options: Record<string, unknown>, line: string) => parsed([{ kv: options }], line);

describe('kv', () => {
  it('reads logfmt with quoted values', () => {
    expect(kv({}, 'at=info method=GET path="/api/orders 2" status=200 duration=12ms')).toEqual({
      at: 'info',
      method: 'GET',
      path: '/api/orders 2',
      status: '200',
      duration: '12ms',
    });
  });

  it('takes separators, a target, a prefix and include/exclude lists', () => {
    expect(
      kv(
        {
          field_split: '&',
          value_split: '=',
          target_field: 'url.params',
          prefix: 'q_',
          exclude_keys: ['token'],
        },
        'id=7&token=secret&sort=desc',
      ),
    ).toEqual({ 'url.params.q_id': '7', 'url.params.q_sort': 'desc' });
    expect(kv({ include_keys: ['uid'] }, 'logname= uid=0 euid=0 tty=NODEVssh')).toEqual({ uid: '0' });
  });

  it('reads syslog-style pairs with empty values, trims and strips brackets', () => {
    expect(
      kv({ trim_value: ',', strip_brackets: true }, 'logname= uid=0 rhost=<218.188.2.4>, user=[root]'),
    ).toEqual({ logname: '', uid: '0', rhost: '218.188.2.4', user: 'root' });
  });

  it('makes a list of a key that repeats', () => {
    expect(kv({}, 'tag=a tag=b')).toEqual({ tag: ['a', 'b'] });
  });

  it('fails when there is no pair', () => {
    expect(kv({}, 'plain text')).toEqual({ tags: ['_kvparsefailure'] });
  });
});
