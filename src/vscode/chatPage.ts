/** The sidebar page itself (strict CSP with a nonce, only the extension's media folder) and the links it may open. */
import { randomBytes } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

export function pageHtml(webview: vscode.Webview, media: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const uri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(media, ...parts)).toString();
  const csp = [
    "default-src 'none'", // l10n-ignore: CSP
    `script-src 'nonce-${nonce}'`, // l10n-ignore: CSP
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`, // l10n-ignore: CSP
  ].join('; ');
  // l10n-ignore: the page's HTML
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${uri('codicons', 'codicon.css')}" rel="stylesheet">
<link href="${uri('webview.css')}" rel="stylesheet">
<title>Stepwise</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${uri('webview.js')}"></script>
</body>
</html>`;
}

/** Links from model text open only after the user saw the full address. */
export async function openLink(url: string): Promise<void> {
  let parsed: vscode.Uri;
  try {
    parsed = vscode.Uri.parse(url, true);
  } catch {
    return;
  }
  if (!['http', 'https', 'mailto'].includes(parsed.scheme)) return;
  const open = l10n.t('Open Link');
  const pick = await vscode.window.showWarningMessage(l10n.t("Open this link from the model's message?"), { modal: true, detail: url }, open);
  if (pick === open) await vscode.env.openExternal(parsed);
}
