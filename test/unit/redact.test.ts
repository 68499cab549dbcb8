import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeRedactor, redactDeep, redactUrl } from '../../src/core/redact';

describe('redaction', () => {
  const redact = makeRedactor(['my-configured-key-123', undefined, 'short']);

  test('the configured key, wherever it is; values too short to be keys are left alone', () => {
    assert.equal(redact('key=my-configured-key-123; again my-configured-key-123'), 'key=[redacted]; again [redacted]');
    assert.equal(redact('a short word'), 'a short word');
  });

  test('token shapes of the common APIs and code hosts', () => {
    for (const [secret, shown] of [
      ['Authorization: Bearer abcdefghijklmnop', 'Authorization: Bearer [redacted]'],
      ['sk-proj-abcdefghijklmnopqrstuvwxyz', 'sk-[redacted]'],
      ['gsk_abcdefghijklmnopqrstuvwxyz0123', 'gsk_[redacted]'],
      ['hf_abcdefghijklmnopqrstuvwxyz0123', 'hf_[redacted]'],
      ['ghp_abcdefghijklmnopqrstuvwxyz0123', 'ghp_[redacted]'],
      ['github_pat_abcdefghijklmnopqrstuvwxyz_0123', 'github_pat_[redacted]'],
      ['xai-abcdefghijklmnopqrstuvwxyz0123', 'xai-[redacted]'],
      ['AIzaSyA-abcdefghijklmnopqrstuvwxyz012', 'AIza[redacted]'],
      ['AKIAABCDEFGHIJKLMNOP', 'AKIA[redacted]'],
    ])
      assert.equal(redact(secret!), shown, secret);
    assert.equal(redact('risk-assessment-module-for-the-task'), 'risk-assessment-module-for-the-task', 'words that merely contain the letters are kept');
  });

  test('in any shape of event', () => {
    assert.deepEqual(redactDeep({ type: 'tool_call', args: { command: ['echo', 'my-configured-key-123'] }, n: 3 }, redact), {
      type: 'tool_call',
      args: { command: ['echo', '[redacted]'] },
      n: 3,
    });
  });

  test('URLs lose their user name and password, however they are written', () => {
    assert.equal(redactUrl('http://alice:s3cret@host:8000/v1'), 'http://***@host:8000/v1');
    assert.equal(redactUrl('http://u:p@ss@host/v1'), 'http://***@host/v1');
    assert.equal(redactUrl(' http://u:pw@host/v1'), ' http://***@host/v1');
    assert.equal(redactUrl('http:\\\\u:pw@host/v1'), 'http:\\\\***@host/v1');
    assert.equal(redactUrl('http://host/v1?next=a@b'), 'http://host/v1?next=a@b', 'an @ after the host is not a password');
  });
});
