// Bundles the extension (CommonJS, `vscode` external), its agent runtime and the CLI with esbuild.
import * as esbuild from 'esbuild';

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
    external: ['vscode'],
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
