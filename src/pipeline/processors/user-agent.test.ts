import { describe, expect, it } from 'vitest';
import { runPipelineOn } from '../test-support.js';

const ua = (agent: string, options: Record<string, unknown> = {}) =>
  runPipelineOn({ processors: [{ user_agent: options }] }, { message: 'm', 'user_agent.original': agent })
    .fields;

describe('user_agent', () => {
  it('gives browser, version, OS and device as Elasticsearch names them', () => {
    expect(
      ua(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36',
      ),
    ).toEqual({
      message: 'm',
      'user_agent.original':
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36',
      'user_agent.name': 'Chrome',
      'user_agent.version': '32.0.1700',
      'user_agent.os.name': 'Mac OS X',
      'user_agent.os.version': '10.9.1',
      'user_agent.os.full': 'Mac OS X 10.9.1',
      'user_agent.device.name': 'Mac',
    });
  });

  it('recognises crawlers and tools, and says Other for the unknown', () => {
    expect(ua('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).toMatchObject({
      'user_agent.name': 'Googlebot',
      'user_agent.version': '2.1',
      'user_agent.device.name': 'Spider',
    });
    expect(ua('curl/7.68.0')).toMatchObject({ 'user_agent.name': 'curl', 'user_agent.version': '7.68.0' });
    expect(ua('Amazon CloudFront')).toMatchObject({
      'user_agent.name': 'Other',
      'user_agent.device.name': 'Other',
    });
  });

  it('reads another field into another target, keeping the header as <target>.original', () => {
    const fields = runPipelineOn(
      { processors: [{ user_agent: { field: 'agent', target: 'ua' } }] },
      { message: 'm', agent: 'Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2' },
    ).fields;
    expect(fields).toMatchObject({
      'ua.original': fields['agent'],
      'ua.name': 'Firefox Alpha',
      'ua.version': '15.0.a2',
      'ua.os.full': 'Windows 7',
    });
  });
});
