/**
 * A tiny GGUF model for the embedded provider's tests (issue 22), written here because no GGUF
 * writer can be installed from npm on these machines: a llama architecture of 2 layers, 64 wide,
 * F32 weights from a seeded generator (so the file is the same every time), a byte-fallback SPM
 * vocabulary of 367 tokens, a ChatML chat template and a 16,384-token window (this vocabulary
 * spends about a token per character, and the agent's prompt is a few thousand). About 0.5 MB. Random weights say nothing
 * sensible; what a test gets from it is a model that loads and generates, under a grammar a
 * well-formed tool call.
 */
import * as fs from 'node:fs';

const TYPE = { U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9, U64: 10 } as const;
const ALIGNMENT = 32;
const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/**
 * A model that leans: after each key piece it all but always says the value piece (a bigram table
 * built into the weights), and random weights decide the rest. `{ '<0x0A>': '<' }`: after a line
 * break, "<". Each key gets a dimension of the residual stream of its own that only its embedding
 * writes and no layer changes, so the last token's dimension reaches the output whole.
 */
export type Leaning = Record<string, string>;

export interface TinyModel {
  bytes: number;
  vocabulary: number;
  tensors: { name: string; shape: number[] }[];
}

const u32 = (n: number) => le(4, (b) => b.writeUInt32LE(n));
const i32 = (n: number) => le(4, (b) => b.writeInt32LE(n));
const u64 = (n: number) => le(8, (b) => b.writeBigUInt64LE(BigInt(n)));
const f32 = (n: number) => le(4, (b) => b.writeFloatLE(n));
const text = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s, 'utf8')]);
const array = <T>(type: number, items: readonly T[], write: (item: T) => Buffer) => Buffer.concat([u32(type), u64(items.length), ...items.map(write)]);
const align = (n: number) => Math.ceil(n / ALIGNMENT) * ALIGNMENT;

function le(size: number, write: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(size);
  write(b);
  return b;
}

/** Control tokens, the 256 byte tokens, then printable ASCII and a few pieces JSON is made of. */
function vocabulary(): { tokens: string[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>'];
  const types = [2, 3, 3, 3, 3];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  const pieces = [
    '▁',
    ...Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)),
    '▁the',
    '▁a',
    'er',
    'in',
    'on',
    '▁"',
    '":',
    '{"',
    '"}',
    '▁{',
    '▁}',
  ];
  for (const piece of pieces) {
    tokens.push(piece);
    types.push(1);
  }
  return { tokens, types };
}

function metadata(tokens: string[], types: number[], shape: { embd: number; ff: number; heads: number; layers: number }): Buffer[] {
  const entries: Buffer[] = [];
  const put = (key: string, type: number, value: Buffer) => entries.push(Buffer.concat([text(key), u32(type), value]));
  put('general.architecture', TYPE.STRING, text('llama'));
  put('general.name', TYPE.STRING, text('stepwise-tiny-test'));
  put('general.alignment', TYPE.U32, u32(ALIGNMENT));
  put('llama.context_length', TYPE.U32, u32(16384));
  put('llama.embedding_length', TYPE.U32, u32(shape.embd));
  put('llama.block_count', TYPE.U32, u32(shape.layers));
  put('llama.feed_forward_length', TYPE.U32, u32(shape.ff));
  put('llama.attention.head_count', TYPE.U32, u32(shape.heads));
  put('llama.attention.head_count_kv', TYPE.U32, u32(shape.heads));
  put('llama.rope.dimension_count', TYPE.U32, u32(shape.embd / shape.heads));
  put('llama.attention.layer_norm_rms_epsilon', TYPE.F32, f32(1e-5));
  put('llama.vocab_size', TYPE.U32, u32(tokens.length));
  put('tokenizer.ggml.model', TYPE.STRING, text('llama'));
  put('tokenizer.ggml.tokens', TYPE.ARRAY, array(TYPE.STRING, tokens, text));
  // SPM merges prefer the higher score: earlier tokens first.
  put(
    'tokenizer.ggml.scores',
    TYPE.ARRAY,
    array(
      TYPE.F32,
      tokens.map((_, i) => -i),
      f32,
    ),
  );
  put('tokenizer.ggml.token_type', TYPE.ARRAY, array(TYPE.I32, types, i32));
  put('tokenizer.ggml.bos_token_id', TYPE.U32, u32(1));
  put('tokenizer.ggml.eos_token_id', TYPE.U32, u32(4));
  put('tokenizer.ggml.unknown_token_id', TYPE.U32, u32(0));
  put('tokenizer.ggml.add_bos_token', TYPE.BOOL, Buffer.from([0]));
  put('tokenizer.chat_template', TYPE.STRING, text(CHATML));
  return entries;
}

function tensorShapes(vocab: number, s: { embd: number; ff: number; layers: number }): { name: string; shape: number[] }[] {
  const tensors = [
    { name: 'token_embd.weight', shape: [s.embd, vocab] },
    { name: 'output_norm.weight', shape: [s.embd] },
    { name: 'output.weight', shape: [s.embd, vocab] },
  ];
  for (let l = 0; l < s.layers; l++) {
    const square = [s.embd, s.embd];
    tensors.push(
      { name: `blk.${l}.attn_norm.weight`, shape: [s.embd] },
      ...['attn_q', 'attn_k', 'attn_v', 'attn_output'].map((t) => ({ name: `blk.${l}.${t}.weight`, shape: square })),
      { name: `blk.${l}.ffn_norm.weight`, shape: [s.embd] },
      { name: `blk.${l}.ffn_gate.weight`, shape: [s.embd, s.ff] },
      { name: `blk.${l}.ffn_down.weight`, shape: [s.ff, s.embd] },
      { name: `blk.${l}.ffn_up.weight`, shape: [s.embd, s.ff] },
    );
  }
  return tensors;
}

/**
 * Builds the leaning into one tensor's values (ggml order: the first dimension varies fastest, so
 * a token's row of token_embd/output is `embd` values from token * embd).
 */
function lean(name: string, values: number[], tokens: string[], shape: { embd: number; ff: number }, leaning: Leaning): void {
  const keys = Object.keys(leaning);
  if (!keys.length) return;
  const id = (piece: string) => {
    const i = tokens.indexOf(piece);
    if (i < 0) throw new Error(`no token ${piece} in the tiny vocabulary`);
    return i;
  };
  keys.forEach((key, k) => {
    const dim = 1 + k;
    if (name === 'token_embd.weight') {
      for (let t = 0; t < tokens.length; t++) values[t * shape.embd + dim] = 0;
      values[id(key) * shape.embd + dim] = 1;
    }
    if (name === 'output.weight') values[id(leaning[key]!) * shape.embd + dim] = 12;
    // No layer writes the key's dimension: rows `dim` of the output projections are zero.
    if (name.endsWith('attn_output.weight')) values.fill(0, dim * shape.embd, (dim + 1) * shape.embd);
    if (name.endsWith('ffn_down.weight')) values.fill(0, dim * shape.ff, (dim + 1) * shape.ff);
  });
}

/** Writes the model to `file` and says what is in it. */
export function writeTinyGguf(file: string, leaning: Leaning = {}): TinyModel {
  const shape = { embd: 64, ff: 128, heads: 4, layers: 2 };
  const { tokens, types } = vocabulary();
  const entries = metadata(tokens, types, shape);
  const tensors = tensorShapes(tokens.length, shape);
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  let offset = 0;
  const infos: Buffer[] = [];
  const data: { offset: number; bytes: Buffer }[] = [];
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    const bytes = Buffer.alloc(count * 4);
    const norm = t.name.endsWith('norm.weight');
    const values = Array.from({ length: count }, () => (norm ? 1 : random() * 0.2));
    lean(t.name, values, tokens, shape, leaning);
    values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
    infos.push(Buffer.concat([text(t.name), u32(t.shape.length), ...t.shape.map(u64), u32(0 /* F32 */), u64(offset)]));
    data.push({ offset, bytes });
    offset = align(offset + bytes.length);
  }
  const header = Buffer.concat([Buffer.from('GGUF'), u32(3), u64(tensors.length), u64(entries.length), ...entries, ...infos]);
  const start = align(header.length);
  const out = Buffer.alloc(start + offset);
  header.copy(out, 0);
  for (const d of data) d.bytes.copy(out, start + d.offset);
  fs.writeFileSync(file, out);
  return { bytes: out.length, vocabulary: tokens.length, tensors };
}
