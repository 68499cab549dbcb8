/**
 * Approval policy: risk class × setting × protected paths → allow | ask | deny.
 * Protected paths always ask, whatever the setting: a cloned repository must not be able to get
 * its `.vscode/` or `.git/` rewritten silently (cf. CVE-2025-53773). Which paths: protectedPaths.ts.
 */
export { ProtectedPaths, FolderProtections, BUILT_IN_PROTECTED, type PathProtection, type ProtectionOptions } from './protectedPaths';

export type RiskClass = 'read' | 'edit' | 'execute' | 'none';
export type ApprovalMode = 'ask' | 'auto' | 'deny';
export type ApprovalPolicy = Record<'read' | 'edit' | 'execute', ApprovalMode> & {
  /** MCP tool calls run without asking (only `--approve all`): "run commands without asking" does not cover them. */
  mcp?: 'auto';
};
export type PolicyDecision = 'allow' | 'ask' | 'deny';

export const DEFAULT_POLICY: ApprovalPolicy = { read: 'auto', edit: 'ask', execute: 'ask' };

/** The CLI's `--approve` levels, as policies. */
export function policyFromLevel(level: 'none' | 'reads' | 'edits' | 'all'): ApprovalPolicy {
  return {
    read: level === 'none' ? 'ask' : 'auto',
    edit: level === 'edits' || level === 'all' ? 'auto' : 'ask',
    execute: level === 'all' ? 'auto' : 'ask',
    ...(level === 'all' ? { mcp: 'auto' as const } : {}),
  };
}

export function decide(risk: RiskClass, policy: ApprovalPolicy, touchesProtected: boolean): PolicyDecision {
  if (risk === 'none') return 'allow';
  const mode = policy[risk];
  if (mode === 'deny') return 'deny';
  // For reads, "protected" means listed in .stepwiseignore (the caller decides which paths count).
  if (touchesProtected) return 'ask';
  return mode === 'auto' ? 'allow' : 'ask';
}
