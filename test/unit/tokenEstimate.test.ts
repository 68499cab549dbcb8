import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { estimateTokens } from '../../src/core/agent/tokenEstimate';

/** Text as models see it: prose, code, JSON, diffs, logs, Chinese, Japanese, Russian, French, emoji, base64, hex. */
const SAMPLES: Record<string, string> = {
  english: 'The quick brown fox jumps over the lazy dog. '.repeat(40),
  code: 'export function add(a: number, b: number): number {\n  return a + b;\n}\n'.repeat(30),
  json: JSON.stringify(Array.from({ length: 60 }, (_, i) => ({ id: i, name: `item${i}`, ok: true }))),
  jsonPretty: JSON.stringify(
    Array.from({ length: 40 }, (_, i) => ({ id: i, name: `item${i}`, ok: true })),
    null,
    2,
  ),
  python: 'def add(a, b):\n    """Add two numbers."""\n    return a + b\n\n'.repeat(30),
  markdown: '## Title\n\n- item one: `npm test`\n- item two [link](http://x.y/z)\n'.repeat(30),
  diff: '@@ -1,3 +1,3 @@\n-  return a - b;\n+  return a + b;\n }\n'.repeat(30),
  numbers: Array.from({ length: 300 }, (_, i) => String((i * 7919) % 100000)).join(','),
  log: Array.from({ length: 40 }, (_, i) => `2026-11-30T07:${String(i % 60).padStart(2, '0')}:12.345Z INFO request ${i} took ${i * 13} ms`).join('\n'),
  chinese: '这是一个用于测试的中文句子，我们需要估计令牌的数量。'.repeat(40),
  japanese: 'これはトークン数を見積もるためのテスト文章です。'.repeat(40),
  russian: 'Это предложение на русском языке для проверки оценки токенов. '.repeat(30),
  french: "L'été dernier, nous sommes allés à la plage près de Marseille. ".repeat(30),
  emoji: 'Done ✅ 🎉 next step 🚀 '.repeat(40),
  base64: randomBytes(3000).toString('base64'),
  hex: randomBytes(1500).toString('hex'),
};

/** Where today's length/3.5 ran 1.6–2× low: never under o200k now, and at most 1.8 times it. */
const NEVER_UNDER = ['chinese', 'japanese', 'russian', 'french', 'emoji', 'base64', 'hex', 'english', 'code'];

describe('token estimates hold for every script', () => {
  for (const [name, text] of Object.entries(SAMPLES)) {
    const strict = NEVER_UNDER.includes(name);
    test(`${name}: ${strict ? "never under o200k's count" : 'at least half of it, as length/3.5 always was'}, and at most 1.8 times it`, () => {
      const actual = encode(text).length;
      const estimate = estimateTokens(text);
      assert.ok(estimate >= (strict ? actual : actual / 2), `${name}: estimated ${estimate}, o200k ${actual}`);
      assert.ok(estimate <= actual * 1.8, `${name}: estimated ${estimate}, o200k ${actual}: too pessimistic`);
    });
  }
});
