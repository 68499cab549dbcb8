/** Finds the ripgrep binary VS Code itself ships, so search needs nothing installed. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export function vscodeRipgrep(): string | undefined {
  const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
  const platform = `${process.platform}-${process.arch}`;
  for (const modules of ['node_modules', 'node_modules.asar.unpacked']) {
    for (const candidate of [
      path.join(vscode.env.appRoot, modules, '@vscode', 'ripgrep', 'bin', exe),
      path.join(vscode.env.appRoot, modules, '@vscode', 'ripgrep-universal', 'bin', platform, exe),
    ]) {
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}
