/**
 * The environment the model's commands (and MCP servers, and VS Code tasks) run in: never
 * Stepwise's own key, never a CI runner's credentials, and settings that keep tools from waiting
 * on a prompt. A command could print what it is given, and a job log keeps what is printed.
 */

/** Keeps tools from waiting on a prompt, a pager or a credential dialog. */
export const NON_INTERACTIVE_ENV: Record<string, string> = {
  CI: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  PAGER: 'cat',
  TERM: 'dumb',
  NO_COLOR: '1',
  DEBIAN_FRONTEND: 'noninteractive',
  npm_config_yes: 'true',
};

/** Stepwise's own credentials: no command or MCP server gets them, not even by name. */
const STEPWISE_KEYS = ['OPENAI_API_KEY', 'STEPWISE_API_KEY', 'STEPWISE_API_KEY_FILE'];

/**
 * The GitHub Actions runner's own: the runtime's tokens and addresses, and the files a step
 * writes to change later steps (a command appending to $GITHUB_ENV could set NODE_OPTIONS for the
 * steps that hold write tokens). Meaningless anywhere else, so always withheld.
 */
const RUNNER_VARIABLES = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
  'GITHUB_ENV',
  'GITHUB_PATH',
  'GITHUB_OUTPUT',
  'GITHUB_STATE',
  'GITHUB_STEP_SUMMARY',
];

/**
 * GitHub tokens, withheld on a CI runner (where a workflow put the job's token there). On a
 * developer's machine they are the user's own — `gh` and an `.npmrc` for GitHub Packages read
 * them — and commands keep them.
 */
const CI_TOKENS = ['GITHUB_TOKEN', 'GH_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN'];

function onCiRunner(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI?.toLowerCase();
  return env.GITHUB_ACTIONS === 'true' || (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0');
}

function runnerCredentials(env: NodeJS.ProcessEnv): string[] {
  return onCiRunner(env) ? [...RUNNER_VARIABLES, ...CI_TOKENS] : RUNNER_VARIABLES;
}

/**
 * Why a `${env:NAME}` is empty where a workspace's file reads it: Stepwise's own key, or a
 * runner's credential that is set but kept from commands here (undefined: it is simply unset).
 */
export function withheldKind(name: string): 'stepwise' | 'runner' | undefined {
  if (STEPWISE_KEYS.includes(name)) return 'stepwise';
  return process.env[name] !== undefined && runnerCredentials(process.env).includes(name) ? 'runner' : undefined;
}

/** The environment commands get (and what a workspace's `${env:…}` is filled from). */
export function childEnvironment(extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...NON_INTERACTIVE_ENV, ...extra };
  for (const name of [...STEPWISE_KEYS, ...runnerCredentials(process.env)]) delete env[name];
  return env;
}

/** What the user's own MCP config may name in `${env:…}`: all but Stepwise's key. */
export function userConfigEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of STEPWISE_KEYS) delete env[name];
  return env;
}
