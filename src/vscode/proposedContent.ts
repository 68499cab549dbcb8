/** Serves proposed file contents to VS Code's diff editor (read-only, never written anywhere). */
import * as vscode from 'vscode';

export const PROPOSED_SCHEME = 'stepwise-proposed';

export class ProposedContent implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private next = 0;

  /** A URI showing `text` under the name of `display`. */
  add(display: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${display}`, query: String(++this.next) });
    this.contents.set(uri.toString(), text);
    return uri;
  }

  remove(uri: vscode.Uri): void {
    this.contents.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }
}
