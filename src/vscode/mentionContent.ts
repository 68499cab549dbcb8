/**
 * What each `@` mention attaches to a goal: a file's text (capped), a folder's listing, the
 * workspace's problems, the editor's selection, the terminal's last output, the git diff, a web
 * page's readable text. A mention
 * that cannot be attached (a file deleted meanwhile, too large, outside the workspace, kept from the
 * model and not allowed) stops the goal with a message in the composer: nothing is dropped silently.
 */
import { execFile } from 'node:child_process';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { ATTACHMENT_CHARS, type Attachment } from '../core/context/attachments';
import { readInstructionFile } from '../core/context/instructionFiles';
import { PathError } from '../core/host/host';
import { attachUrl } from '../core/web/urlAttachment';
import type { McpHub } from '../core/mcp/hub';
import { attachResource } from '../core/mcp/resources';
import type { MentionItem } from '../protocol/messages';
import type { TerminalOutputs } from './terminalOutputs';
import type { VsCodeHost } from './vscodeHost';
import type { WorkspaceRoots } from './workspaceRoots';

/** Larger files are not attached at all: a head of a huge file is rarely what was meant. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface MentionDeps {
  host: VsCodeHost;
  roots: WorkspaceRoots;
  terminals: TerminalOutputs;
  isPrivate: (path: string) => boolean;
  /** stepwise.web.allowLocalFetch: a mentioned page on a local address is fetched only with it. */
  allowLocalFetch: boolean;
  /** The running MCP servers, for a mentioned resource. */
  mcp?: () => McpHub | undefined;
}

export class MentionProblem extends Error {
  override name = 'MentionProblem';
}

export async function attachMentions(items: readonly MentionItem[], deps: MentionDeps): Promise<Attachment[]> {
  const attachments: Attachment[] = [];
  for (const item of items) attachments.push(await attachOne(item, deps));
  return attachments;
}

async function attachOne(item: MentionItem, deps: MentionDeps): Promise<Attachment> {
  switch (item.kind) {
    case 'file':
      return attachFile(item.value, deps);
    case 'folder': {
      const listed = await deps.host.listFiles(await shown(item.value, deps), { recursive: true, limit: 300 });
      const more = listed.omitted ? `\n… and ${listed.omitted} more` : '';
      return { path: `${item.value}/ (listing)`, text: `${listed.entries.join('\n')}${more}` };
    }
    case 'problems':
      // l10n-ignore: attached to the goal, for the model
      return { path: '@problems', text: (await deps.host.getDiagnostics(undefined)) || 'No errors or warnings in the workspace.' };
    case 'selection':
      return selection(deps);
    case 'terminal': {
      const last = deps.terminals.latest();
      if (!last)
        throw new MentionProblem(
          l10n.t('@terminal: no command output was seen yet. Run the command in a terminal (with shell integration) after opening Stepwise, then mention it.'),
        );
      return { path: '@terminal', text: `$ ${last.command}\n${last.output}`.slice(-ATTACHMENT_CHARS) };
    }
    case 'changes':
      return { path: '@changes', text: await gitDiff(deps.roots) };
    case 'url':
      return page(item.value, deps);
    case 'resource':
      return resource(item, deps);
    case 'prompt':
      // A prompt fills the goal box when picked; it is never a chip, so a sender that says so is wrong.
      throw new MentionProblem(l10n.t('{0} is a prompt: pick it again to put its text in the goal box.', item.label));
  }
}

async function shown(path: string, deps: MentionDeps): Promise<string> {
  try {
    return await deps.host.resolve(path);
  } catch (error) {
    if (error instanceof PathError) throw new MentionProblem(l10n.t('{0} cannot be attached: {1}', path, error.message));
    throw error;
  }
}

async function attachFile(path: string, deps: MentionDeps): Promise<Attachment> {
  const target = await shown(path, deps);
  const stat = await deps.host.stat(target);
  if (!stat) throw new MentionProblem(l10n.t('{0} no longer exists: remove it from the goal, or mention the file again.', target));
  if (stat.size > MAX_FILE_BYTES) {
    const mb = Math.round(stat.size / 1024 / 1024);
    throw new MentionProblem(l10n.t('{0} is too large to attach ({1} MB); ask Stepwise to read the part you need instead.', target, mb));
  }
  let allowed = false;
  if (deps.isPrivate(target)) {
    const attach = l10n.t('Attach');
    const question = l10n.t('{0} is kept from the model (.stepwiseignore). Attach it to this goal anyway?', target);
    const pick = await vscode.window.showWarningMessage(question, { modal: true }, attach);
    if (pick !== attach) throw new MentionProblem(l10n.t('{0} was not attached: .stepwiseignore keeps it from the model.', target));
    allowed = true;
  }
  const read = await readInstructionFile(deps.host, target, allowed ? () => false : deps.isPrivate, ATTACHMENT_CHARS);
  if ('file' in read) return read.file;
  if ('skipped' in read) throw new MentionProblem(l10n.t('{0} cannot be attached: {1}.', target, read.skipped.reason));
  throw new MentionProblem(l10n.t('{0} no longer exists: remove it from the goal, or mention the file again.', target));
}

/** The user named this page, so its host is not asked about; local addresses still need the setting. */
async function page(url: string, deps: MentionDeps): Promise<Attachment> {
  const signal = AbortSignal.timeout(30_000);
  try {
    return await vscode.window.withProgress({ location: { viewId: 'stepwise.chat' }, title: l10n.t('Fetching {0}', url) }, () =>
      attachUrl(url, { allowLocal: deps.allowLocalFetch, signal }),
    );
  } catch (error) {
    const reason = signal.aborted ? l10n.t('no answer within 30 seconds') : (error as Error).message;
    throw new MentionProblem(l10n.t('{0} cannot be attached: {1}', url, reason));
  }
}

async function resource(item: MentionItem, deps: MentionDeps): Promise<Attachment> {
  const hub = deps.mcp?.();
  let ref: { server: string; uri: string } | undefined;
  try {
    const [server, uri] = JSON.parse(item.value) as unknown[];
    if (typeof server === 'string' && typeof uri === 'string') ref = { server, uri };
  } catch {
    ref = undefined;
  }
  if (!hub || !ref) throw new MentionProblem(l10n.t('{0} cannot be attached: its MCP server is not running. Mention it again.', item.label));
  try {
    return await attachResource(hub, ref, AbortSignal.timeout(30_000));
  } catch (error) {
    throw new MentionProblem(l10n.t('{0} cannot be attached: {1}', item.label, (error as Error).message));
  }
}

function selection(deps: MentionDeps): Attachment {
  const editor = vscode.window.activeTextEditor;
  const text = editor?.document.getText(editor.selection);
  if (!editor || !text) throw new MentionProblem(l10n.t('@selection: no text is selected in an editor. Select the code first, then send the goal.'));
  const where = deps.roots.displayOf(editor.document.uri) ?? editor.document.uri.fsPath;
  const lines = `${editor.selection.start.line + 1}-${editor.selection.end.line + 1}`;
  return { path: `${where}:${lines} (selection)`, text: text.slice(0, ATTACHMENT_CHARS), ...(text.length > ATTACHMENT_CHARS ? { cutFrom: text.length } : {}) };
}

/**
 * The working tree against HEAD. Only in a trusted workspace: git can run programs a repository
 * configures; those that a diff could start (fsmonitor, external diff, textconv) are switched off.
 */
function gitDiff(roots: WorkspaceRoots): Promise<string> {
  if (!vscode.workspace.isTrusted)
    return Promise.reject(new MentionProblem(l10n.t('@changes needs a trusted workspace: git can run programs the repository configures.')));
  const cwd = roots.folders()[0]!.uri.fsPath;
  const args = ['-c', 'core.fsmonitor=false', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', 'HEAD'];
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 16 * 1024 * 1024, timeout: 20_000 }, (error, stdout) => {
      if (error) return reject(new MentionProblem(l10n.t('@changes: git could not show the changes here ({0}).', error.message.split('\n')[0] ?? '')));
      resolve(stdout.trim() ? stdout.slice(0, ATTACHMENT_CHARS) : 'No changes against HEAD.'); // l10n-ignore: attached to the goal, for the model
    });
  });
}
