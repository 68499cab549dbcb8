/**
 * The project's own instructions. At the start of a task, in each workspace folder's root, in this
 * order (later ones are more specific, and win where they disagree): `.github/copilot-instructions.md`,
 * `CLAUDE.md`, `AGENTS.md`, then `.stepwise/rules/*.md` by name — after the user's own instructions.
 * An `AGENTS.md` in a sub-folder is added once, when the agent first reads, lists or edits something
 * under that folder, after that step's result: nothing already sent changes, so the prompt prefix
 * a server has cached stays valid. Instructions are text for the model, never settings.
 */
import type { Host } from '../host/host';
import { type InstructionFile, readInstructionFile, type SkippedFile } from './instructionFiles';

export const ROOT_FILES = ['.github/copilot-instructions.md', 'CLAUDE.md', 'AGENTS.md'];
export const RULES_FOLDER = '.stepwise/rules';
export const NESTED_FILE = 'AGENTS.md';
/** One file's share, and all instructions together, in characters (about 4 per token). */
const FILE_CHARS = 16_000;
const TOTAL_SHARE_OF_WINDOW = 0.15;

export interface Found {
  files: InstructionFile[];
  skipped: SkippedFile[];
}

export class ProjectInstructions {
  /** Folders whose AGENTS.md was looked at (added or not), and the texts added: each once per task. */
  private readonly seenFolders = new Set<string>();
  private readonly seenTexts = new Set<string>();
  private readonly roots: string[];
  private left: number;

  constructor(
    private readonly host: Host,
    private readonly isPrivate: (path: string) => boolean,
    contextTokens: number,
  ) {
    this.roots = host.folders && host.folders.length > 1 ? host.folders.map((f) => `${f}/`) : [''];
    this.left = Math.floor(contextTokens * 4 * TOTAL_SHARE_OF_WINDOW);
  }

  /** The root files of every folder (and the user's own text first, when given). */
  async atStart(user?: InstructionFile): Promise<Found> {
    const found: Found = { files: [], skipped: [] };
    if (user) this.keep(user, found);
    for (const root of this.roots) {
      this.seenFolders.add(root);
      const rules = await this.host.listFiles(`${root}${RULES_FOLDER}`, { recursive: false, limit: 50 }).catch(() => undefined);
      const ruleFiles = (rules?.entries ?? []).filter((e) => e.endsWith('.md')).sort();
      for (const path of [...ROOT_FILES.map((f) => `${root}${f}`), ...ruleFiles]) await this.add(path, found);
    }
    return found;
  }

  /** AGENTS.md files of the folders from the root down to `path` (a display path) not looked at yet. */
  async near(path: string, isFolder: boolean): Promise<Found> {
    const found: Found = { files: [], skipped: [] };
    const root = this.roots.find((r) => r && path.startsWith(r)) ?? '';
    const parts = path.slice(root.length).split('/').filter(Boolean);
    const folders = isFolder ? parts.length : parts.length - 1;
    for (let depth = 1; depth <= folders; depth++) {
      const folder = `${root}${parts.slice(0, depth).join('/')}/`;
      if (this.seenFolders.has(folder)) continue;
      this.seenFolders.add(folder);
      await this.add(`${folder}${NESTED_FILE}`, found);
    }
    return found;
  }

  private async add(path: string, found: Found): Promise<void> {
    if (this.left <= 0) return;
    const read = await readInstructionFile(this.host, path, this.isPrivate, Math.min(FILE_CHARS, this.left));
    if ('skipped' in read) found.skipped.push(read.skipped);
    else if ('file' in read) this.keep(read.file, found);
  }

  /** The same text twice (CLAUDE.md linked to AGENTS.md) is sent once. */
  private keep(file: InstructionFile, found: Found): void {
    if (this.seenTexts.has(file.text) || !file.text.trim()) return;
    this.seenTexts.add(file.text);
    this.left -= file.text.length;
    found.files.push(file);
  }
}
