#!/usr/bin/env node
/**
 * Writes the edit-corpus cases whose bytes an editor would mangle or that are too big to write
 * by hand: CRLF, mixed line endings, BOM, no final newline, non-UTF-8, and files of 10,000+ lines.
 * Deterministic (seeded), so re-running it gives identical bytes. Expected `after` files are built
 * here by splicing lines, independently of the matcher.
 *
 *   node scripts/gen-edit-cases.mjs [DIR]   (default test/fixtures/edit-cases)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const root = process.argv[2] ?? path.join('test', 'fixtures', 'edit-cases');

function writeCase(name, { file, before, edits, expect, kind, note, after }) {
  const dir = path.join(root, name);
  rmSync(dir, { recursive: true, force: true });
  const put = (sub, bytes) => {
    const target = path.join(dir, sub, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'case.json'), JSON.stringify({ file, edits, expect, kind, note }, null, 2) + '\n');
  put('before', typeof before === 'string' ? Buffer.from(before, 'utf8') : before);
  if (expect === 'applied') put('after', Buffer.from(after, 'utf8'));
}

const crlf = (text) => text.replace(/\n/g, '\r\n');
const BOM = '\uFEFF';

/** Small seeded PRNG (mulberry32) so generated files never change between runs. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- CRLF, mixed endings, BOM -------------------------------------------------------------

const SERVER = `import http from 'node:http';

export function start(port: number) {
  const server = http.createServer((req, res) => {
    res.writeHead(200);
    res.end('ok');
  });
  server.listen(port);
  return server;
}
`;

writeCase('gen-crlf-lf-search', {
  file: 'src/server.ts',
  before: crlf(SERVER),
  edits: [
    { search: "    res.writeHead(200);\n    res.end('ok');\n", replace: "    res.writeHead(200, { 'content-type': 'text/plain' });\n    res.end('ok');\n" },
  ],
  expect: 'applied',
  kind: 'line endings',
  note: 'CRLF file, the model sends LF: matched, and the result keeps CRLF everywhere.',
  after: crlf(SERVER.replace('res.writeHead(200);', "res.writeHead(200, { 'content-type': 'text/plain' });")),
});

writeCase('gen-crlf-search-has-crlf', {
  file: 'src/server.ts',
  before: crlf(SERVER),
  edits: [
    {
      search: '  server.listen(port);\r\n  return server;\r\n',
      replace: "  server.listen(port, '127.0.0.1');\n  console.log(`listening on ${port}`);\n  return server;\n",
    },
  ],
  expect: 'applied',
  kind: 'exact',
  note: 'The search has CRLF like the file; the LF replacement is written with CRLF.',
  after: crlf(SERVER.replace('  server.listen(port);\n', "  server.listen(port, '127.0.0.1');\n  console.log(`listening on ${port}`);\n")),
});

const PY_CRLF = `def load(path):
    with open(path) as f:
        for line in f:
            yield line.rstrip()
`;
writeCase('gen-crlf-indentation-shift', {
  file: 'load.py',
  before: crlf(PY_CRLF),
  edits: [{ search: 'for line in f:\n    yield line.rstrip()\n', replace: 'for line in f:\n    if line.strip():\n        yield line.rstrip()\n' }],
  expect: 'applied',
  kind: 'indentation',
  note: 'CRLF file, LF search without the 8-space indentation: re-indented and written with CRLF.',
  after: crlf(PY_CRLF.replace('            yield line.rstrip()\n', '            if line.strip():\n                yield line.rstrip()\n')),
});

writeCase('gen-crlf-no-final-newline', {
  file: 'src/server.ts',
  before: crlf(SERVER).slice(0, -2),
  edits: [{ search: '  return server;\n}\n', replace: '  return server;\n}\n\nexport const DEFAULT_PORT = 8080;\n' }],
  expect: 'applied',
  kind: 'line endings',
  note: 'CRLF file without a final newline; the search ends with LF. New lines get CRLF and the file still has no final newline.',
  after: crlf(SERVER + '\nexport const DEFAULT_PORT = 8080;\n').slice(0, -2),
});

// A file pasted together from an LF half and a CRLF half.
const MIXED_LF = 'const a = 1;\nconst b = 2;\n';
const MIXED_CRLF = 'function sum() {\r\n  return a + b;\r\n}\r\n';
writeCase('gen-mixed-edit-in-crlf-part', {
  file: 'src/mixed.js',
  before: MIXED_LF + MIXED_CRLF,
  edits: [{ search: 'function sum() {\n  return a + b;\n}\n', replace: 'function sum() {\n  const s = a + b;\n  return s;\n}\n' }],
  expect: 'applied',
  kind: 'line endings',
  note: 'Mixed line endings: the edited CRLF region stays CRLF, the LF lines are untouched.',
  after: MIXED_LF + 'function sum() {\r\n  const s = a + b;\r\n  return s;\r\n}\r\n',
});

writeCase('gen-mixed-region-spanning', {
  file: 'src/mixed.js',
  before: 'const a = 1;\r\nconst b = 2;\nconst c = 3;\r\nconst d = 4;\n',
  edits: [{ search: 'const a = 1;\nconst b = 2;\nconst c = 3;\n', replace: 'const a = 1;\nconst x = 9;\nconst y = 8;\nconst c = 3;\n' }],
  expect: 'applied',
  kind: 'line endings',
  note: 'The region mixes CRLF and LF: unchanged lines keep their own endings, new lines take the region’s most common one (CRLF).',
  after: 'const a = 1;\r\nconst x = 9;\r\nconst y = 8;\r\nconst c = 3;\r\nconst d = 4;\n',
});

const SETTINGS = '{\n  "editor.tabSize": 2,\n  "files.eol": "\\n"\n}\n';
writeCase('gen-bom-first-line', {
  file: 'settings.json',
  before: BOM + SETTINGS,
  edits: [{ search: '{\n  "editor.tabSize": 2,\n', replace: '{\n  "editor.tabSize": 4,\n' }],
  expect: 'applied',
  kind: 'exact',
  note: 'A UTF-8 BOM before the first line: the search (without BOM) matches line 1, and the BOM is kept.',
  after: BOM + SETTINGS.replace('2,', '4,'),
});

writeCase('gen-bom-crlf', {
  file: 'App.config',
  before: BOM + crlf('<configuration>\n  <appSettings>\n    <add key="mode" value="dev" />\n  </appSettings>\n</configuration>\n'),
  edits: [{ search: '<add key="mode" value="dev" />\n', replace: '<add key="mode" value="prod" />\n<add key="retries" value="3" />\n' }],
  expect: 'applied',
  kind: 'line endings',
  note: 'BOM + CRLF; a one-line LF search given without its indentation, replaced by two lines. BOM, CRLF and indentation all preserved.',
  after:
    BOM +
    crlf('<configuration>\n  <appSettings>\n    <add key="mode" value="prod" />\n    <add key="retries" value="3" />\n  </appSettings>\n</configuration>\n'),
});

writeCase('gen-bom-only-file-create', {
  file: 'notes.md',
  before: BOM,
  edits: [{ search: '', replace: '# Notes\n' }],
  expect: 'applied',
  kind: 'empty file',
  note: 'A file holding only a BOM counts as empty; the BOM is kept.',
  after: BOM + '# Notes\n',
});

writeCase('gen-not-utf8-latin1', {
  file: 'legacy.txt',
  before: Buffer.from('caf\xe9 cr\xe8me\nna\xefve\n', 'latin1'),
  edits: [{ search: 'na', replace: 'NA' }],
  expect: 'rejected',
  kind: 'not utf-8',
  note: 'Latin-1 bytes: decoding as UTF-8 fails, so the file is never edited (it would be written back with U+FFFD).',
});

writeCase('gen-crlf-ambiguous', {
  file: 'src/server.ts',
  before: crlf(SERVER + '\nexport function stop(server: http.Server) {\n  server.close();\n  return server;\n}\n'),
  edits: [{ search: '  return server;\n}\n', replace: '  return server as http.Server;\n}\n' }],
  expect: 'rejected',
  kind: 'ambiguous',
  note: 'After ignoring line endings the block is found twice.',
});

// ---- Large files ---------------------------------------------------------------------------

/** A TypeScript module of `count` lines of small functions, each body distinct. */
function bigTs(count, seed) {
  const next = rng(seed);
  const lines = [];
  for (let i = 0; lines.length < count; i++) {
    const k = Math.floor(next() * 1000);
    lines.push(`export function f${i}(x: number) {`, `  const y = x * ${k};`, `  return y + ${i};`, '}', '');
  }
  return lines.slice(0, count);
}

const TS_LINES = bigTs(15_000, 1);
{
  const at = TS_LINES.lastIndexOf('export function f2990(x: number) {');
  const after = [...TS_LINES];
  after.splice(at + 2, 1, '  if (y < 0) {', '    return 0;', '  }', '  return y + 2990;');
  writeCase('gen-large-ts-15k-exact-near-end', {
    file: 'src/generated.ts',
    before: TS_LINES.join('\n') + '\n',
    edits: [
      {
        search: `${TS_LINES[at]}\n${TS_LINES[at + 1]}\n  return y + 2990;\n`,
        replace: `${TS_LINES[at]}\n${TS_LINES[at + 1]}\n  if (y < 0) {\n    return 0;\n  }\n  return y + 2990;\n`,
      },
    ],
    expect: 'applied',
    kind: 'exact',
    note: '15,000-line file, block near the end.',
    after: after.join('\n') + '\n',
  });
}

/** A Python module of `count` lines: classes with two methods each. */
function bigPy(count) {
  const lines = [];
  for (let i = 0; lines.length < count; i++) {
    lines.push(`class C${i}:`, '    def run(self, v):', `        if v > ${i % 50}:`, `            return v - ${i}`, '        return v', '');
  }
  return lines.slice(0, count);
}
const PY_LINES = bigPy(12_000);
{
  const at = PY_LINES.lastIndexOf('class C1990:');
  const after = [...PY_LINES];
  after.splice(at + 3, 1, '            v = abs(v)', '            return v - 1990');
  writeCase('gen-large-py-12k-crlf-indentation', {
    file: 'big.py',
    before: crlf(PY_LINES.join('\n') + '\n'),
    edits: [
      {
        search: 'def run(self, v):\n    if v > 40:\n        return v - 1990\n',
        replace: 'def run(self, v):\n    if v > 40:\n        v = abs(v)\n        return v - 1990\n',
      },
    ],
    expect: 'applied',
    kind: 'indentation',
    note: '12,000-line CRLF Python file; LF search with the class indentation left out, near the end.',
    after: crlf(after.join('\n') + '\n'),
  });
}

/** A Go file of `count` lines where every function repeats the same error check. */
function bigGo(count) {
  const lines = ['package big', ''];
  for (let i = 0; lines.length < count; i++) {
    lines.push(`func step${i}() error {`, `\tv, err := fetch(${i})`, '\tif err != nil {', '\t\treturn err', '\t}', '\treturn use(v)', '}', '');
  }
  return lines.slice(0, count);
}
writeCase('gen-large-go-10k-repeated-boilerplate', {
  file: 'big.go',
  before: bigGo(10_000).join('\n') + '\n',
  edits: [
    {
      search: '    if err != nil {\n        return err\n    }\n    return use(v)\n',
      replace: '    if err != nil {\n        return fmt.Errorf("step: %w", err)\n    }\n    return use(v)\n',
    },
  ],
  expect: 'rejected',
  kind: 'ambiguous',
  note: '10,000-line Go file where the block (spaces for tabs) matches every function: refused, not applied to the first.',
});

writeCase('gen-large-ts-10k-no-match', {
  file: 'src/generated.ts',
  before: bigTs(10_000, 2).join('\n') + '\n',
  edits: [
    {
      search: 'export function f1500(x: number) {\n  const y = x * 3;\n  return y - 1500;\n}\n',
      replace: 'export function f1500(x: number) {\n  return x;\n}\n',
    },
  ],
  expect: 'rejected',
  kind: 'no_match',
  note: '10,000-line file; the function exists but two of its four lines differ from the search.',
});

// ---- Adversarial review: CRLF, BOM, mixed endings, large files ----------------------------

/** Replace the one occurrence of a (it must be unique) to build an after file. */
function rep1(text, a, b) {
  const i = text.indexOf(a);
  if (i === -1 || text.indexOf(a, i + 1) !== -1) throw new Error(`not unique: ${a}`);
  return text.slice(0, i) + b + text.slice(i + a.length);
}
const C = writeCase;

const GREETER_CS = `using System;

namespace Demo
{
    public class Greeter
    {
        public string Greet(string name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return "Hello!";
            }
            return $"Hello, {name}!";
        }
    }
}
`;

const MIXED_NOTES = 'line one\r\nline two\r\nline three\nline four\nline five\r\n';

/** 10,500 lines of near-identical handlers (the body repeats every 50). */
function handlers(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(
      `def handler_${i}(event):`,
      `    value = event.get("k${i % 50}")`,
      '    if value is None:',
      '        return None',
      `    return value * ${i % 7}`,
      '',
      '',
    );
  }
  return out.join('\n') + '\n';
}

const HANDLERS = handlers(1500);

C('gen-crlf-dedented-search-insert', {
  file: 'Greeter.cs',
  before: crlf(GREETER_CS),
  edits: [
    {
      search: 'if (string.IsNullOrEmpty(name))\n{\n    return "Hello!";\n}\n',
      replace: 'if (string.IsNullOrWhiteSpace(name))\n{\n    Console.WriteLine("empty name");\n    return "Hello!";\n}\n',
    },
  ],
  expect: 'applied',
  kind: 'line endings',
  note: 'CRLF file, LF search dedented by 12: re-indented and CRLF kept.',
  after: crlf(
    rep1(
      GREETER_CS,
      '            if (string.IsNullOrEmpty(name))\n            {\n',
      '            if (string.IsNullOrWhiteSpace(name))\n            {\n                Console.WriteLine("empty name");\n',
    ),
  ),
});

C('gen-bom-crlf-delete-first-lines', {
  file: 'Greeter.cs',
  before: '\uFEFF' + crlf(GREETER_CS),
  edits: [{ search: 'using System;\n\n', replace: '' }],
  expect: 'applied',
  kind: 'deletion',
  note: 'BOM + CRLF file, delete the first line and the blank after it with an LF search: BOM stays.',
  after: '\uFEFF' + crlf(GREETER_CS.replace('using System;\n\n', '')),
});

C('gen-crlf-no-final-newline-append', {
  file: 'Greeter.cs',
  before: crlf(GREETER_CS).slice(0, -2),
  edits: [{ search: '    }\n}\n', replace: '    }\n}\n// end of file\n' }],
  expect: 'applied',
  kind: 'line endings',
  note: 'CRLF file without final newline; the search claims one. The appended line keeps the missing final newline.',
  after: crlf(GREETER_CS + '// end of file'),
});

C('gen-crlf-trailing-whitespace-in-search', {
  file: 'Greeter.cs',
  before: crlf(GREETER_CS),
  edits: [{ search: '            return $"Hello, {name}!";  \n        }  \n', replace: '            return $"Hi, {name}!";\n        }\n' }],
  expect: 'applied',
  kind: 'trailing whitespace',
  note: 'CRLF file, model added trailing spaces.',
  after: crlf(rep1(GREETER_CS, 'return $"Hello, {name}!";', 'return $"Hi, {name}!";')),
});

C('gen-mixed-insert-in-lf-part', {
  file: 'notes.txt',
  before: MIXED_NOTES,
  edits: [{ search: 'line three\nline four\n', replace: 'line three\nline three and a half\nline four\n' }],
  expect: 'applied',
  kind: 'line endings',
  note: 'New line takes the LF endings of the region it sits in.',
  after: 'line one\r\nline two\r\nline three\nline three and a half\nline four\nline five\r\n',
});

C('gen-crlf-dedented-delete-block', {
  file: 'a.ts',
  before: crlf('function f() {\n  if (a) {\n    b();\n  }\n  c();\n}\n'),
  edits: [{ search: 'if (a) {\n  b();\n}\n', replace: '' }],
  expect: 'applied',
  kind: 'deletion',
  note: 'CRLF, dedented search, delete.',
  after: crlf('function f() {\n  c();\n}\n'),
});

C('gen-crlf-blank-line-missing-kept', {
  file: 'a.ts',
  before: crlf('const a = 1;\n\nconst b = 2;\nconst c = 3;\n'),
  edits: [{ search: 'const a = 1;\nconst b = 2;\n', replace: 'const a = 1;\nconst b = 20;\n' }],
  expect: 'applied',
  kind: 'blank lines',
  note: 'CRLF file; model omitted a blank line; it stays (with CRLF).',
  after: crlf('const a = 1;\n\nconst b = 20;\nconst c = 3;\n'),
});

C('gen-crlf-whole-file-rewrite', {
  file: 'a.txt',
  before: 'one\r\ntwo\r\n',
  edits: [{ search: 'one\ntwo\n', replace: 'uno\ndos\ntres\n' }],
  expect: 'applied',
  kind: 'line endings',
  note: 'Whole-file rewrite of a CRLF file.',
  after: 'uno\r\ndos\r\ntres\r\n',
});

C('gen-bom-no-final-newline-dedented', {
  file: 'a.ts',
  before: '\uFEFFexport const x = {\n  a: 1,\n  b: 2,\n};',
  edits: [{ search: 'a: 1,\nb: 2,\n', replace: 'a: 1,\nb: 3,\nc: 4,\n' }],
  expect: 'applied',
  kind: 'indentation',
  note: 'BOM, no final newline; dedented by 2: new line re-indented, BOM and missing newline kept.',
  after: '\uFEFFexport const x = {\n  a: 1,\n  b: 3,\n  c: 4,\n};',
});

C('gen-bom-reject-flattened-indentation', {
  file: 'a.ts',
  before: '\uFEFFexport const x = {\n  a: 1,\n  b: 2,\n};',
  edits: [{ search: 'a: 1,\nb: 2,\n};\n', replace: 'a: 1,\nb: 3,\n};\n' }],
  expect: 'rejected',
  kind: 'indentation',
  note: 'BOM, no final newline; the model flattened the object (a and b lose their indentation, }; keeps it): no constant shift, refused.',
});

C('gen-large-py-10k-crlf-similarity', {
  file: 'handlers.py',
  before: crlf(HANDLERS),
  edits: [
    {
      search: 'def handler_1333(event):\n    value = event.get("key33")\n    if value is None:\n        return None\n    return value * 3\n',
      replace: 'def handler_1333(event):\n    value = event.get("key33")\n    if value is None:\n        return None\n    return value * 4\n',
    },
  ],
  expect: 'applied',
  kind: 'similarity',
  note: 'CRLF, 10k lines: one line misremembered (key33 for k33), kept as the file has it; last line changed.',
  after: crlf(
    rep1(
      HANDLERS,
      'def handler_1333(event):\n    value = event.get("k33")\n    if value is None:\n        return None\n    return value * 3\n',
      'def handler_1333(event):\n    value = event.get("k33")\n    if value is None:\n        return None\n    return value * 4\n',
    ),
  ),
});

C('gen-large-py-10k-reject-mixed-near-duplicates', {
  file: 'handlers.py',
  before: HANDLERS,
  edits: [
    {
      search: 'def handler_1491(event):\n    value = event.get("k40")\n    if value is None:\n        return None\n    return value * 0\n',
      replace: 'def handler_1491(event):\n    return None\n',
    },
  ],
  expect: 'rejected',
  kind: 'similarity',
  note: 'handler_1491 has k41 and * 1; handler_1490 has k40 and * 0: the search mixes both, two lines differ from either.',
});

console.log(`wrote generated cases under ${root}`);
