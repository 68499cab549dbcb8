/**
 * Which workspace paths are protected: a change to them is always asked, whatever the policy or a
 * standing answer says. Two separate checks, so that nothing in a repository can narrow the first:
 *  - the built-in list (what git, VS Code and other agents run or obey: hooks, tasks, settings,
 *    filters, agent instructions, MCP servers) plus the `core.hooksPath` folder;
 *  - the workspace's `.stepwiseignore` (gitignore syntax), which can only add. Its files are also
 *    private: reading, listing or searching them asks too (see approvalGate.ts).
 * Paths are compared Unicode-normalised (NFC), and the built-in list ignores case everywhere (a
 * case-insensitive file system makes `.VSCode/` the same folder as `.vscode/`).
 */
import { folderOfDisplay } from './host/workspaceFolders';
import ignore, { type Ignore } from 'ignore';
import { isAbsolute } from 'node:path';

/** gitignore syntax; a name without a slash matches at any depth, as a file or a folder (and all inside it). */
export const BUILT_IN_PROTECTED: readonly string[] = [
  '.vscode',
  '.git',
  '*.code-workspace',
  '.stepwiseignore',
  '.gitattributes',
  '.gitmodules',
  'AGENTS.md',
  'CLAUDE.md',
  '**/.github/copilot-instructions.md',
  '.stepwise',
  '.mcp.json',
  // Package-manager settings that choose the shell or preload code for every script.
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pnpmfile.cjs',
  // Run by tools when a folder is entered or a commit is made.
  '.envrc',
  '.devcontainer',
  '.pre-commit-config.yaml',
  'lefthook.yml',
  '.lefthook.yml',
  // Other agents' settings and instructions (hooks there run commands).
  '.claude',
  '.cursor',
  '**/.github/instructions',
  '**/.github/prompts',
];

export interface ProtectionOptions {
  /** Workspace-relative folders that are protected too (the `core.hooksPath` folder). */
  extraFolders?: readonly string[];
  /**
   * Whether the file system ignores case (macOS, Windows by default): then `.stepwiseignore` rules
   * match regardless of case too. The built-in list always does.
   */
  caseInsensitive?: boolean;
}

/** What the approval gate asks of a workspace's protection. */
export interface PathProtection {
  /** A change to this path always needs an explicit approval. */
  matches(relPath: string): boolean;
  /** Listed in `.stepwiseignore`: its content reaches the model only after the user allows it. */
  isPrivate(relPath: string): boolean;
  readonly hasPrivateRules: boolean;
}

export class ProtectedPaths implements PathProtection {
  private readonly builtIn: Ignore;
  private readonly listed: Ignore | undefined;
  private readonly extraFolders: string[];

  /** `stepwiseIgnore` is the text of the workspace's `.stepwiseignore`, if any. */
  constructor(stepwiseIgnore = '', options: ProtectionOptions = {}) {
    this.builtIn = ignore({ ignorecase: true }).add(BUILT_IN_PROTECTED as string[]);
    const rules = stepwiseIgnore.normalize('NFC');
    this.listed = rules.trim() ? ignore({ ignorecase: options.caseInsensitive ?? defaultCaseInsensitive() }).add(rules) : undefined;
    this.extraFolders = (options.extraFolders ?? []).map((f) => normalize(f).toLowerCase()).filter((f) => f !== '');
  }

  /** A change to this path always needs an explicit approval. */
  matches(relPath: string): boolean {
    const clean = normalize(relPath);
    if (clean === '') return false;
    return this.builtInMatch(clean) || this.listedMatch(clean);
  }

  /** Whether `.stepwiseignore` lists anything. */
  get hasPrivateRules(): boolean {
    return this.listed !== undefined;
  }

  /** Listed in `.stepwiseignore`: kept from the model unless the user says so (reads ask too). */
  isPrivate(relPath: string): boolean {
    const clean = normalize(relPath);
    return clean !== '' && this.listedMatch(clean);
  }

  private builtInMatch(clean: string): boolean {
    if (testIgnore(this.builtIn, clean)) return true;
    const lower = clean.toLowerCase();
    return this.extraFolders.some((folder) => lower === folder || lower.startsWith(`${folder}/`));
  }

  private listedMatch(clean: string): boolean {
    return this.listed !== undefined && testIgnore(this.listed, clean);
  }
}

function testIgnore(rules: Ignore, clean: string): boolean {
  try {
    return rules.ignores(clean) || rules.ignores(`${clean}/`);
  } catch {
    // The matcher refuses some paths (e.g. ones it considers not relative): protect them.
    return true;
  }
}

/**
 * Workspace-relative, forward slashes, NFC; each part without the trailing dots and spaces and the
 * `::$DATA` stream suffix that Windows ignores (`.git./config` is `.git/config` there).
 */
export function normalize(relPath: string): string {
  const parts = relPath
    .normalize('NFC')
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .map((p) => (p === '..' ? p : p.replace(/::\$data$/i, '').replace(/[. ]+$/, '') || p));
  return parts.join('/');
}

function defaultCaseInsensitive(): boolean {
  return process.platform === 'darwin' || process.platform === 'win32';
}

/**
 * A multi-root workspace: each folder's own protection (its `.stepwiseignore`, its hooks folder)
 * for its paths, which carry the folder's name (or are absolute: src/core/host/workspaceFolders.ts).
 */
export class FolderProtections implements PathProtection {
  /** `root` is the folder's real path, for paths shown absolute. */
  constructor(private readonly folders: readonly { name: string; root?: string; protection: PathProtection }[]) {}

  get hasPrivateRules(): boolean {
    return this.folders.some((f) => f.protection.hasPrivateRules);
  }

  matches(relPath: string): boolean {
    const [protection, rel] = this.pick(relPath);
    return protection.matches(rel);
  }

  isPrivate(relPath: string): boolean {
    const [protection, rel] = this.pick(relPath);
    return protection.isPrivate(rel);
  }

  private pick(relPath: string): [PathProtection, string] {
    const { index, rel } = folderOfDisplay(this.folders, isAbsolute(relPath) ? relPath : normalize(relPath));
    return [this.folders[index]!.protection, rel];
  }
}
