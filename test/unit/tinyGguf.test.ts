/**
 * The tiny GGUF model the embedded provider's tests load (test/support/tinyGguf.ts), read back by
 * an independent parser (@huggingface/gguf): what llama.cpp needs of a llama model is there, the
 * tensors have their shapes and aligned offsets, and the file is the same every time.
 */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { gguf } from '@huggingface/gguf';
import { writeTinyGguf } from '../support/tinyGguf';

test('the tiny model parses as GGUF v3 with a llama architecture, a vocabulary, a chat template and its tensors; it is the same every time', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-gguf-'));
  try {
    const file = path.join(dir, 'tiny.gguf');
    const written = writeTinyGguf(file);
    assert.ok(written.bytes > 400_000 && written.bytes < 700_000, `${written.bytes} bytes`);
    const parsed = await gguf(file, { allowLocalFile: true });
    const meta = parsed.metadata as Record<string, unknown>;
    assert.equal(meta.version, 3);
    assert.equal(meta['general.architecture'], 'llama');
    assert.equal(meta['llama.block_count'], 2);
    assert.equal(meta['llama.embedding_length'], 64);
    const tokens = meta['tokenizer.ggml.tokens'] as string[];
    assert.equal(tokens.length, written.vocabulary);
    assert.deepEqual(tokens.slice(0, 5), ['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>']);
    assert.equal(tokens[5 + 0x41], '<0x41>', 'a byte token for every byte: any text can be tokenised');
    assert.match(String(meta['tokenizer.chat_template']), /<\|im_start\|>assistant/);
    assert.equal(parsed.tensorInfos.length, written.tensors.length);
    const align = 32;
    for (const [i, info] of parsed.tensorInfos.entries()) {
      assert.equal(info.name, written.tensors[i]!.name);
      assert.deepEqual(info.shape.map(Number), written.tensors[i]!.shape);
      assert.equal(Number(info.offset) % align, 0, `${info.name} is aligned`);
    }
    const last = parsed.tensorInfos.at(-1)!;
    const end = parsed.tensorDataOffset + last.offset + BigInt(4 * last.shape.reduce((a, b) => a * Number(b), 1));
    assert.ok(end <= BigInt(written.bytes), 'every tensor lies inside the file');

    const again = path.join(dir, 'again.gguf');
    writeTinyGguf(again);
    const hash = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    assert.equal(hash(again), hash(file));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
