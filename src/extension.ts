/**
 * The VS Code extension's composition root. It only wires things together; the VS Code host,
 * commands, settings and views are built in src/vscode (issue #4 onwards), over the same core
 * that `stepwise run` drives headless.
 */
import type * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  // Nothing to wire yet: no commands or views are contributed by package.json.
  void context;
}

export function deactivate(): void {}
