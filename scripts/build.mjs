// Bundles the extension (CommonJS, `vscode` external), its agent runtime and the CLI with esbuild.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs/promises';

// Always minified: parse and compile time is most of the CLI's start-up. Source maps stay for debugging.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
  // jsonc-parser's UMD "main" hides its requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
};

await Promise.all([
  // The extension's entry stays small (activation is cheap); the agent runtime is its own
  // bundle, required on first use.
  esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    format: 'cjs',
    external: ['vscode', './runtime.js'],
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/vscode/runtime.ts'],
    outfile: 'dist/runtime.js',
    format: 'cjs',
    define: { 'globalThis.STEPWISE_BUNDLED': 'true' },
    external: ['vscode', './pdf.js'],
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    // The MCP client and pdf.js are their own files, read only when needed (src/cli/mcpSetup.ts, src/core/web/pdfText.ts).
    define: { 'globalThis.STEPWISE_BUNDLED': 'true' },
    external: ['./mcp.js', './pdf.js'],
  }),
  esbuild.build({ ...common, entryPoints: ['src/core/mcp/bundle.ts'], outfile: 'dist/mcp.js', format: 'cjs' }),
  // The GitHub Action's step (action.yml): runs dist/cli.js beside it.
  esbuild.build({ ...common, entryPoints: ['src/action.ts'], outfile: 'dist/action.js', format: 'cjs' }),
  // The embedded model's process (src/core/embedded/worker.ts): node-llama-cpp is imported from the user's cache.
  esbuild.build({ ...common, entryPoints: ['src/core/embedded/worker.ts'], outfile: 'dist/embedded.js', format: 'cjs' }),
  // pdf.js, read on the first fetched PDF (src/core/web/pdfText.ts).
  esbuild.build({ ...common, entryPoints: ['src/core/web/pdfBundle.ts'], outfile: 'dist/pdf.js', format: 'cjs' }),
  // The sidebar webview (browser code, src/webview), its styles, and the codicon font it uses.
  esbuild.build({
    entryPoints: ['src/webview/main.ts'],
    outfile: 'media/webview.js',
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'warning',
  }),
  esbuild.build({ entryPoints: ['src/webview/styles.css'], outfile: 'media/webview.css', bundle: true, minify: true, logLevel: 'warning' }),
  // The shell parser's runtime and bash grammar (src/core/commands/shellParser.ts loads them from dist/).
  fs
    .mkdir('dist', { recursive: true })
    .then(() =>
      Promise.all(['tree-sitter.wasm', 'tree-sitter-bash.wasm'].map((f) => fs.copyFile(`node_modules/@vscode/tree-sitter-wasm/wasm/${f}`, `dist/${f}`))),
    ),
  fs
    .mkdir('media/codicons', { recursive: true })
    .then(() => Promise.all(['codicon.css', 'codicon.ttf'].map((f) => fs.copyFile(`node_modules/@vscode/codicons/dist/${f}`, `media/codicons/${f}`)))),
]);
