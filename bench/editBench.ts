/**
 * Edit matcher benchmark: `npm run bench:edit -- DIR` runs every case folder under DIR (see
 * editCases.ts), prints one line per failing case, the number of wrong applications, the median
 * time per edit on a 20,000-line file, and last `N passed, M failed`. Exit code 1 if any case failed.
 */
import { applyEdits, type EditBlock } from '../src/core/edit';
import { findCaseDirs, loadCase, runCase } from './editCases';

const LINES = 20_000;
const RUNS = 200;

function main(): void {
  const root = process.argv[2];
  if (!root) {
    console.error('usage: npm run bench:edit -- DIR');
    process.exit(2);
  }
  let passed = 0;
  let failed = 0;
  let wrong = 0;
  for (const dir of findCaseDirs(root)) {
    let name = dir;
    try {
      const c = loadCase(dir, root);
      name = c.name;
      const r = runCase(c);
      if (r.passed) passed++;
      else {
        failed++;
        console.log(`FAIL ${r.name}: ${r.why}`);
      }
      if (r.wrongApplication) wrong++;
    } catch (err) {
      failed++;
      console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  console.log(`wrong applications: ${wrong}`);
  const exact = timeEdits(false);
  const tolerant = timeEdits(true);
  const elided = timeElided();
  console.log(
    `median per edit on a ${LINES.toLocaleString('en')}-line file, block near the end: ` +
      `exact ${exact.toFixed(2)} ms, tolerant (LF search on a CRLF file, indentation shifted) ${tolerant.toFixed(2)} ms, ` +
      `with an elision marker (a method's first and last lines as anchors, the closing brace found in many places) ${elided.toFixed(2)} ms`,
  );
  // The contract (README, Development: bench:edit): the summary is the last line.
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

/** A TypeScript-like file of LINES lines: small classes with methods, each body distinct. */
function bigFile(): string[] {
  const lines: string[] = [];
  for (let i = 0; lines.length < LINES; i++) {
    lines.push(`export class Service${i} {`, `  private count${i} = ${i};`, '');
    lines.push(`  handle${i}(input: string): number {`, `    const size = input.length + ${i % 97};`);
    lines.push(`    if (size > ${i % 13}) {`, `      return this.count${i} * size;`, '    }', `    return ${i};`, '  }', '}', '');
  }
  return lines.slice(0, LINES);
}

/** Median ms per applyEdits call; each run edits a different method near the end of the file. */
function timeEdits(tolerant: boolean): number {
  const lines = bigFile();
  const text = tolerant ? lines.join('\r\n') + '\r\n' : lines.join('\n') + '\n';
  const starts: number[] = [];
  for (let i = LINES - 1; i >= LINES * 0.8 && starts.length < RUNS; i--) {
    if (/^ {4}const size/.test(lines[i] ?? '')) starts.push(i);
  }
  const times: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const at = starts[k % starts.length]!;
    const block = lines.slice(at, at + 3);
    const shift = (l: string): string => (tolerant ? l.slice(2) : l);
    const edit: EditBlock = {
      search: block.map(shift).join('\n') + '\n',
      replace: [block[0], '    // checked', block[1], block[2]].map((l) => shift(l ?? '')).join('\n') + '\n',
    };
    const t0 = performance.now();
    const out = applyEdits(text, [edit]);
    times.push(performance.now() - t0);
    if (!out.ok || out.matches[0]?.via !== (tolerant ? 'indentation' : 'exact')) {
      throw new Error(`timing edit at line ${at + 1} did not apply as expected: ${JSON.stringify(out).slice(0, 300)}`);
    }
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1] ?? 0;
}

/** Median ms per edit whose search elides a method's body: `handleN(…) {`, `// ...`, `    return N;`, `  }`. */
function timeElided(): number {
  const lines = bigFile();
  const text = lines.join('\n') + '\n';
  const times: number[] = [];
  for (let k = 0; k < 50; k++) {
    const i = Math.floor((LINES / 12) * 0.9) + k;
    const edit: EditBlock = {
      search: `  handle${i}(input: string): number {\n    // ...\n    return ${i};\n  }\n`,
      replace: `  handle${i}(input: string): number {\n    // ...\n    return ${i} + 1;\n  }\n`,
    };
    const t0 = performance.now();
    const out = applyEdits(text, [edit]);
    times.push(performance.now() - t0);
    if (!out.ok || out.matches[0]?.via !== 'elision markers') throw new Error(`elided timing edit did not apply: ${JSON.stringify(out).slice(0, 300)}`);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1] ?? 0;
}

main();
