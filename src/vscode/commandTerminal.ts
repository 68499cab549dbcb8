/**
 * The "Stepwise" terminal: every command the agent runs is mirrored here live, so the user sees
 * what runs. The command itself runs as a child process (reliable output, exit code and kill).
 * Nothing written here can steer the terminal: control characters in the command and its output
 * are shown as escapes, and a command of several lines shows as several `$` lines.
 */
import * as vscode from 'vscode';
import { escapeControls } from '../core/text/controlChars';

export class CommandTerminal implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private ready: Promise<void> | undefined;
  private readonly closeListener: vscode.Disposable;

  constructor() {
    this.closeListener = vscode.window.onDidCloseTerminal((t) => {
      if (t === this.terminal) {
        this.terminal = undefined;
        this.ready = undefined;
      }
    });
  }

  private ensure(): Promise<void> {
    if (this.terminal && this.ready) return this.ready;
    let opened!: () => void;
    this.ready = new Promise((resolve) => (opened = resolve));
    const pty: vscode.Pseudoterminal = { onDidWrite: this.writeEmitter.event, open: () => opened(), close: () => {} };
    this.terminal = vscode.window.createTerminal({ name: 'Stepwise', pty, iconPath: new vscode.ThemeIcon('robot') });
    this.terminal.show(true);
    // A terminal that is never shown never opens; do not hold the command back for it.
    return Promise.race([this.ready, new Promise<void>((r) => setTimeout(r, 1000))]);
  }

  async begin(command: string): Promise<void> {
    await this.ensure();
    const lines = escapeControls(command).replace(/\n$/, '').split('\n');
    this.emit(lines.map((line) => `\x1b[1m$ ${line}\x1b[0m\n`).join(''));
  }

  /** Output of the running command: shown, never obeyed (a lone carriage return starts a new line). */
  write(text: string): void {
    this.emit(escapeControls(text.replace(/\r(?!\n)/g, '\n')));
  }

  end(summary: string): void {
    this.emit(`\x1b[2m${escapeControls(summary)}\x1b[0m\n\n`);
  }

  private emit(text: string): void {
    this.writeEmitter.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  dispose(): void {
    this.closeListener.dispose();
    this.terminal?.dispose();
    this.writeEmitter.dispose();
  }
}
