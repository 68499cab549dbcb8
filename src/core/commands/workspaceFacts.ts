/** The workspace as the command checker sees it, through the Host port and the path protection. */
import type { PathProtection } from '../approval';
import type { Host } from '../host/host';
import type { PathFacts, WorkspaceFacts } from './pathArgs';

const OUTSIDE: PathFacts = { outside: true, protected: false, private: false, directory: false };

export function workspaceFacts(host: Pick<Host, 'resolve' | 'resolveCommandPath' | 'stat'>, protection: PathProtection): WorkspaceFacts {
  return {
    hasPrivateRules: protection.hasPrivateRules,
    async path(requested, needDirectory) {
      let rel: string;
      try {
        // Resolved where it really is (a symlink out of the workspace is outside), from where commands run.
        rel = await (host.resolveCommandPath ? host.resolveCommandPath(requested) : host.resolve(requested));
      } catch {
        return OUTSIDE;
      }
      // Whether it is a folder matters only for a recursive search in a workspace with private files.
      const stat = needDirectory ? await host.stat(rel).catch(() => undefined) : undefined;
      return {
        outside: false,
        rel,
        protected: protection.matches(rel),
        private: protection.isPrivate(rel),
        directory: stat?.type === 'directory',
        ...(needDirectory ? { exists: stat !== undefined } : {}),
      };
    },
  };
}
