// Copies the README's screenshots from what the VS Code UI tests took (test-results/, after
// `npm run test:vscode`) into docs/screenshots/, each in the light and the dark theme.
import * as fs from 'node:fs';

const SHOTS = {
  panel: 'panel-finished', // runPanelTests: a finished task
  approval: 'panel-approval', // runPanelTests: an edit waiting for approval, its diff open
  'inline-review': 'inline-review-mixed', // runUiTests (reviewChecks): the inline review of a change
};

fs.mkdirSync('docs/screenshots', { recursive: true });
const missing = [];
for (const [name, source] of Object.entries(SHOTS)) {
  for (const theme of ['light', 'dark']) {
    const from = `test-results/${source}-${theme}.png`;
    if (!fs.existsSync(from)) missing.push(from);
    else fs.copyFileSync(from, `docs/screenshots/${name}-${theme}.png`);
  }
}
if (missing.length) {
  console.error(`screenshots: not taken yet: ${missing.join(', ')}. Run npm run test:vscode first.`);
  process.exit(1);
}
console.log(`screenshots: ${Object.keys(SHOTS).length * 2} copied into docs/screenshots/`);
