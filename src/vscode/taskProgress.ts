/**
 * A running task's progress where the user is looking. The sidebar shows every step itself, so
 * while it is visible the only other sign is a status bar item (one click opens the sidebar); a
 * cancellable notification repeats the current step only while the sidebar is hidden or closed,
 * and goes away when it is shown again. Inline requests keep their own indicator (one fixed
 * progress location for the run).
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/** Whether the sidebar is on screen now, and when that changes. */
export interface SidebarVisibility {
  isVisible(): boolean;
  readonly onDidChangeVisible: vscode.Event<void>;
}

const LABEL_CHARS = 60;

export class TaskProgress implements vscode.Disposable {
  private label = '';
  private readonly item: vscode.StatusBarItem | undefined;
  private notification: { report(label: string): void; end(): void } | undefined;
  private readonly subscription: vscode.Disposable | undefined;
  private ended = false;

  constructor(
    private readonly sidebar: SidebarVisibility | undefined,
    private readonly cancel: () => void,
    /** A fixed place for the whole run (inline requests): no status item, no notification. */
    fixed?: vscode.ProgressLocation,
  ) {
    if (fixed !== undefined) {
      this.open(fixed);
      return;
    }
    this.item = vscode.window.createStatusBarItem('stepwise.progress', vscode.StatusBarAlignment.Left, 10);
    this.item.name = l10n.t('Stepwise progress');
    this.item.command = 'stepwise.chat.focus';
    this.report('');
    this.item.show();
    this.subscription = sidebar?.onDidChangeVisible(() => this.sync());
    this.sync();
  }

  report(label: string): void {
    this.label = label;
    if (this.item) {
      const short = label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label;
      this.item.text = `$(loading~spin) ${short ? l10n.t('Stepwise: {0}', short) : 'Stepwise'}`;
      this.item.tooltip = label
        ? l10n.t('Stepwise is working: {0} — click to open the sidebar', label)
        : l10n.t('Stepwise is working — click to open the sidebar');
    }
    this.notification?.report(label);
  }

  dispose(): void {
    this.ended = true;
    this.notification?.end();
    this.item?.dispose();
    this.subscription?.dispose();
  }

  /** A notification only while the sidebar is not on screen. */
  private sync(): void {
    if (this.ended) return;
    if (this.sidebar?.isVisible()) this.notification?.end();
    else if (!this.notification) this.open(vscode.ProgressLocation.Notification);
  }

  private open(location: vscode.ProgressLocation): void {
    const cancellable = location === vscode.ProgressLocation.Notification;
    void vscode.window.withProgress(
      { location, title: 'Stepwise', cancellable },
      (progress, token) =>
        new Promise<void>((resolve) => {
          token.onCancellationRequested(() => this.cancel());
          const notification = {
            report: (label: string) => progress.report({ message: label }),
            end: () => {
              if (this.notification === notification) this.notification = undefined;
              resolve();
            },
          };
          this.notification = notification;
          if (this.label) progress.report({ message: this.label });
        }),
    );
  }
}
