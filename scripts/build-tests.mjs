// Bundles the extension integration tests (test/vscode/suite) for the extension host.
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';

const suite = 'test/vscode/suite';
const entries = fs
  .readdirSync(suite)
  .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
  .map((f) => `${suite}/${f}`);
fs.rmSync('out/test/vscode', { recursive: true, force: true });
await esbuild.build({
  entryPoints: entries,
  outdir: 'out/test/vscode',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  mainFields: ['module', 'main'],
  // pdfText.ts names dist/pdf.js for the bundles; the tests take the sources' branch.
  external: ['vscode', 'mocha', './pdf.js'],
  logLevel: 'warning',
});
