// The CLI's npm package (@stepwise-dev/cli), built into build/npm/ from the same sources as the
// extension: Stepwise's own code bundled, its libraries left to npm as dependencies (so the package
// stays small and shares them), their versions taken from the root package.json. `--pack` also
// writes the tarball (build/npm/*.tgz). Publishing is the release workflow's job, not this script's.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';

const OUT = 'build/npm';
const root = JSON.parse(fs.readFileSync('package.json', 'utf8'));
// The versions tested here, exactly: users get what CI ran, not what a range allows later.
const locked = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')).packages;

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(`${OUT}/dist`, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  logLevel: 'warning',
  mainFields: ['module', 'main'],
  // Libraries stay require()s, installed by npm with the package.
  packages: 'external',
  metafile: true,
};
const builds = await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: `${OUT}/dist/cli.js`,
    banner: { js: '#!/usr/bin/env node' },
    define: { 'globalThis.STEPWISE_BUNDLED': 'true' },
    external: ['./mcp.js', './pdf.js'],
  }),
  esbuild.build({ ...common, entryPoints: ['src/core/mcp/bundle.ts'], outfile: `${OUT}/dist/mcp.js` }),
  esbuild.build({ ...common, entryPoints: ['src/core/web/pdfBundle.ts'], outfile: `${OUT}/dist/pdf.js` }),
  esbuild.build({ ...common, entryPoints: ['src/core/embedded/worker.ts'], outfile: `${OUT}/dist/embedded.js` }),
  // The GitHub Action's step (action.yml installs this package and runs it).
  esbuild.build({ ...common, entryPoints: ['src/action.ts'], outfile: `${OUT}/dist/action.js` }),
]);

/** The packages the bundles require, each at the exact version installed from the lock file. */
const dependencies = {};
for (const build of builds) {
  for (const output of Object.values(build.metafile.outputs)) {
    for (const { path: spec, external } of output.imports) {
      if (!external || spec.startsWith('node:') || spec.startsWith('.') || !/^[@a-z]/.test(spec)) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (builtinModules.includes(name)) continue;
      if (!root.dependencies?.[name]) throw new Error(`${name} is required by the CLI but is not in package.json's dependencies`);
      const version = locked[`node_modules/${name}`]?.version;
      if (!version) throw new Error(`${name} is not in package-lock.json: run npm install`);
      dependencies[name] = version;
    }
  }
}

const manifest = {
  name: '@stepwise-dev/cli',
  version: root.version,
  description: 'Stepwise, the coding agent that shows every step before it happens, on the command line: stepwise run "GOAL".',
  license: root.license,
  repository: root.repository,
  keywords: ['agent', 'ai', 'coding agent', 'cli', 'ollama', 'llama.cpp', 'openai', 'mcp'],
  bin: { stepwise: 'dist/cli.js' },
  files: ['dist/*.js', 'README.md', 'LICENSE'],
  engines: { node: root.engines.node },
  dependencies: Object.fromEntries(Object.entries(dependencies).sort()),
};
fs.writeFileSync(`${OUT}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
fs.copyFileSync('LICENSE', `${OUT}/LICENSE`);
fs.writeFileSync(
  `${OUT}/README.md`,
  `# Stepwise on the command line

Stepwise is an open-source coding agent: it plans in the open, asks before each step that changes
something, records a checkpoint before it, and runs on a local model server (Ollama, LM Studio,
llama.cpp, vLLM), any OpenAI-compatible API, or a model it runs itself (\`--provider embedded\`).

    npx @stepwise-dev/cli run --workspace ./my-project "Fix the failing test"
    npx @stepwise-dev/cli doctor

Node 20 or later. Options, exit codes and JSON events: ${root.repository.url.replace(/\.git$/, '')}#the-command-line-stepwise-run
`,
);
if (process.argv.includes('--pack')) execFileSync('npm', ['pack', '--pack-destination', '.'], { cwd: OUT, stdio: 'inherit' });
