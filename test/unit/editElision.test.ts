/**
 * Elision markers on both sides of an edit: the parts between markers are anchors, the elided code
 * is kept byte for byte; anything unclear is refused naming the anchor.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyEdits, type EditOutcome } from '../../src/core/edit';

function applied(out: EditOutcome): Extract<EditOutcome, { ok: true }> {
  assert.ok(out.ok, out.ok ? '' : out.message);
  return out;
}

function refused(out: EditOutcome): Extract<EditOutcome, { ok: false }> {
  assert.ok(!out.ok, 'expected a refusal');
  return out;
}

const TS = [
  "import { x } from './x';",
  '',
  'export function first(a: number): number {',
  '  const b = a * 2;',
  '  if (b > 10) {',
  '    return b;',
  '  }',
  '  return a;',
  '}',
  '',
  'export function second(a: number): number {',
  '  const c = a + 1;',
  '  return a;',
  '}',
  '',
].join('\n');

describe('elision markers on both sides', () => {
  test('the first and last lines of a function anchor it; the elided middle is kept byte for byte', () => {
    const out = applied(
      applyEdits(TS, [
        {
          search: 'export function first(a: number): number {\n  // ... existing code ...\n  return a;\n}\n',
          replace: 'export function first(a: number): number {\n  // ... existing code ...\n  return a + 1;\n}\n',
        },
      ]),
    );
    assert.equal(out.text, TS.replace('  }\n  return a;\n}', '  }\n  return a + 1;\n}'));
    assert.deepEqual([out.matches[0]!.startLine, out.matches[0]!.endLine, out.matches[0]!.via], [3, 9, 'elision markers']);
  });

  test('`return a;` is in both functions: the one after the marker inside `first` is taken, not the one past a top-level declaration', () => {
    const out = applied(
      applyEdits(TS, [
        {
          search: 'export function first(a: number): number {\n  // ...\n  return a;\n',
          replace: 'export function first(a: number): number {\n  // ...\n  return -a;\n',
        },
      ]),
    );
    assert.match(out.text, /if \(b > 10\) \{\n {4}return b;\n {2}\}\n {2}return -a;\n\}\n\nexport function second[\s\S]*const c = a \+ 1;\n {2}return a;/);
  });

  test('Python `# ...`, a trailing marker, and a dedented search (the file indents the class body)', () => {
    const py = 'class A:\n    def f(self):\n        x = 1\n        y = 2\n        return x + y\n\n    def g(self):\n        return 0\n';
    const out = applied(
      applyEdits(py, [
        { search: 'def f(self):\n    x = 1\n    # ...\n    return x + y\n', replace: 'def f(self):\n    x = 10\n    # ...\n    return x + y\n' },
      ]),
    );
    assert.equal(out.text, py.replace('x = 1\n', 'x = 10\n'));
  });

  test('a bare `...` in Go on both sides; and in Python, where `...` is code, the literal match is tried first', () => {
    const go = 'func f() int {\n\tx := 1\n\ty := 2\n\treturn x + y\n}\n';
    assert.equal(
      applied(applyEdits(go, [{ search: 'func f() int {\n...\n\treturn x + y\n}\n', replace: 'func f() int {\n...\n\treturn x * y\n}\n' }])).text,
      go.replace('x + y', 'x * y'),
    );
    const stub = 'def f():\n    ...\n\ndef g():\n    a = 1\n    b = 2\n    return a\n';
    assert.equal(
      applied(applyEdits(stub, [{ search: 'def f():\n    ...\n', replace: 'def f():\n    return 1\n' }])).text,
      stub.replace('    ...\n', '    return 1\n'),
    );
    // The file has a `...` stub, but this one stands for g's body: the literal match fails, the marker reading applies.
    assert.equal(
      applied(applyEdits(stub, [{ search: 'def g():\n    ...\n    return a\n', replace: 'def g():\n    ...\n    return b\n' }])).text,
      stub.replace('    return a\n', '    return b\n'),
    );
  });

  test('HTML `<!-- ... -->`: a new item goes after the elided ones', () => {
    const html = '<ul>\n  <li>one</li>\n  <li>two</li>\n</ul>\n';
    assert.equal(
      applied(applyEdits(html, [{ search: '<ul>\n  <!-- ... -->\n</ul>\n', replace: '<ul>\n  <!-- ... -->\n  <li>three</li>\n</ul>\n' }])).text,
      '<ul>\n  <li>one</li>\n  <li>two</li>\n  <li>three</li>\n</ul>\n',
    );
  });
});

describe('elision markers: refused, naming the anchor', () => {
  test('an anchor that fits two places', () => {
    const file = 'function a() {\n  setup();\n  run();\n  done();\n}\nfunction b() {\n  setup();\n  run();\n  done();\n}\n';
    const out = refused(applyEdits(file, [{ search: '  setup();\n  // ...\n  done();\n', replace: '  setup();\n  // ...\n  finish();\n' }]));
    assert.equal(out.reason, 'elision');
    assert.match(out.message, /starts at its line 1 \(`setup\(\);`\) fits 2 places \(lines 2, 7\)/);
    assert.match(out.message, /Nothing was changed/);
  });

  test('anchors out of order, and anchors that would overlap', () => {
    const file = 'one();\ntwo();\nthree();\n';
    const order = refused(applyEdits(file, [{ search: 'three();\n// ...\none();\n', replace: 'three();\n// ...\nuno();\n' }]));
    assert.match(order.message, /starts at its line 3 \(`one\(\);`\) cannot be placed after the part before it/);
    const overlap = refused(applyEdits(file, [{ search: 'one();\ntwo();\n// ...\ntwo();\nthree();\n', replace: 'one();\ntwo();\n// ...\ntwo();\ntres();\n' }]));
    assert.match(overlap.message, /cannot be placed after the part before it/);
  });

  test('an anchor that is not in the file', () => {
    const out = refused(
      applyEdits(TS, [
        {
          search: 'export function first(a: number): number {\n  // ...\n  return z;\n',
          replace: 'export function first(a: number): number {\n  // ...\n  return y;\n',
        },
      ]),
    );
    assert.match(out.message, /starts at its line 3 \(`return z;`\) was not found in the file/);
  });

  test('a search that is only markers', () => {
    const out = refused(applyEdits(TS, [{ search: '// ... existing code ...\n', replace: '// ... existing code ...\nexport const z = 1;\n' }]));
    assert.match(out.message, /only elision markers/);
  });

  test('a marker on one side only: in the search (the elided code would be deleted), or added by the replacement', () => {
    const searchOnly = refused(
      applyEdits(TS, [
        {
          search: 'export function first(a: number): number {\n  // ...\n  return a;\n}\n',
          replace: 'export function first(a: number): number {\n  return 0;\n}\n',
        },
      ]),
    );
    assert.equal(searchOnly.reason, 'elision');
    assert.match(searchOnly.message, /contains the elision marker `\/\/ \.\.\.`/);
    const replOnly = refused(applyEdits(TS, [{ search: '  const c = a + 1;\n', replace: '  const c = a + 1;\n  // ... rest unchanged ...\n' }]));
    assert.match(replOnly.message, /the replacement contains the elision marker/);
    assert.equal(applyEdits(TS, []).ok, false);
  });

  test('a marker inside a string literal is code: matched literally, never read as a marker', () => {
    const file = 'const template = `\n// ... existing code ...\n`;\nconst other = 1;\n';
    const out = applied(applyEdits(file, [{ search: '// ... existing code ...\n`;\n', replace: '// ... existing code ...\n`.trim();\n' }]));
    assert.equal(out.text, 'const template = `\n// ... existing code ...\n`.trim();\nconst other = 1;\n');
    assert.notEqual(out.matches[0]!.via, 'elision markers');
  });

  test('replacement text next to a marker where the search has none cannot be placed', () => {
    const out = refused(applyEdits(TS, [{ search: '// ...\n  return a;\n}\n', replace: "import { y } from './y';\n// ...\n  return a;\n}\n" }]));
    assert.match(out.message, /has lines next to an elision marker/);
  });
});
