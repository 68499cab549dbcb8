/**
 * The MCP client as the CLI loads it: its own file (dist/mcp.js), read only when servers are
 * configured — the SDK is an eighth of the CLI's code, and parsing it would slow every start. It
 * brings its own copy of the process helpers, so the CLI asks it to kill what it started too.
 */
export { McpHub } from './hub';
export { killAllProcessGroups } from '../host/processRunner';
