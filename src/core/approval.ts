/**
 * Approval policy: risk class × setting × protected paths → allow | ask | deny.
 * Protected paths always ask, whatever the setting: a cloned repository must not be able to get
 * its `.vscode/` or `.git/` rewritten silently (cf. CVE-2025-53773).
 */
import ignore, { type Ignore } from 'ignore';

export type RiskClass = 'read' | 'edit' | 'execute' | 'none';
export type ApprovalMode = 'ask' | 'auto' | 'deny';
export type ApprovalPolicy = Record<'read' | 'edit' | 'execute', ApprovalMode>;
export type PolicyDecision = 'allow' | 'ask' | 'deny';

export const DEFAULT_POLICY: ApprovalPolicy = { read: 'auto', edit: 'ask', execute: 'ask' };

/** The CLI's `--approve` levels, as policies. */
export function policyFromLevel(level: 'none' | 'reads' | 'edits' | 'all'): ApprovalPolicy {
  return {
    read: level === 'none' ? 'ask' : 'auto',
    edit: level === 'edits' || level === 'all' ? 'auto' : 'ask',
    execute: level === 'all' ? 'auto' : 'ask',
  };
}

const BUILT_IN_PROTECTED = ['.vscode/', '.git/', '*.code-workspace', '.stepwiseignore'];

/** Matches workspace-relative paths that always need an explicit approval to change. */
export class ProtectedPaths {
  private readonly rules: Ignore;

  /** `stepwiseIgnore` is the text of the workspace's `.stepwiseignore` (gitignore syntax), if any. */
  constructor(stepwiseIgnore = '') {
    this.rules = ignore({ ignorecase: true }).add(BUILT_IN_PROTECTED).add(stepwiseIgnore);
  }

  matches(relPath: string): boolean {
    const clean = relPath.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+/g, '/');
    if (clean === '' || clean === '.') return false;
    // Case-insensitive file systems make `.VSCode/settings.json` the same file as `.vscode/…`.
    return this.rules.ignores(clean) || this.rules.ignores(clean.replace(/\/$/, '') + '/');
  }
}

export function decide(risk: RiskClass, policy: ApprovalPolicy, touchesProtected: boolean): PolicyDecision {
  if (risk === 'none') return 'allow';
  const mode = policy[risk];
  if (mode === 'deny') return 'deny';
  if (touchesProtected && risk !== 'read') return 'ask';
  return mode === 'auto' ? 'allow' : 'ask';
}
