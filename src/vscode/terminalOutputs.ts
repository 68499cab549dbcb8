/**
 * The last command's output in each terminal, for `@terminal`: recorded through shell integration
 * from the moment Stepwise's runtime loads (VS Code offers no way to read what ran before), the tail
 * kept, control sequences removed.
 */
import { stripVTControlCharacters } from 'node:util';
import * as vscode from 'vscode';

const KEEP_CHARS = 64_000;

interface Recorded {
  command: string;
  output: string;
}

export class TerminalOutputs implements vscode.Disposable {
  private readonly last = new Map<vscode.Terminal, Recorded>();
  private readonly listeners: vscode.Disposable[];

  constructor() {
    this.listeners = [
      vscode.window.onDidStartTerminalShellExecution((event) => void this.record(event.terminal, event.execution)),
      vscode.window.onDidCloseTerminal((terminal) => this.last.delete(terminal)),
    ];
  }

  /** The active terminal's last command and its output (else the latest of any terminal). */
  latest(): Recorded | undefined {
    const active = vscode.window.activeTerminal;
    return (active && this.last.get(active)) ?? [...this.last.values()].at(-1);
  }

  private async record(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    const recorded: Recorded = { command: execution.commandLine.value, output: '' };
    this.last.delete(terminal); // re-inserted last: the Map's order is the order commands ran in
    this.last.set(terminal, recorded);
    try {
      for await (const data of execution.read()) {
        recorded.output = (recorded.output + stripVTControlCharacters(data)).slice(-KEEP_CHARS);
      }
    } catch {
      // A terminal that went away mid-command keeps what was read.
    }
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    this.last.clear();
  }
}
