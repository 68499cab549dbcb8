import * as l10n from '@vscode/l10n';
import { PRESETS } from '../core/model/presets';
import { DEFAULT_MAX_STEPS } from '../core/tools/limits';

/** `stepwise --help`: the usage lines as they are, the rest in the user's language. */
export function help(): string {
  const presets = PRESETS.map((p) => p.id).join(' | ');
  return [
    USAGE,
    l10n.t(
      "run: runs the Stepwise agent on a folder until the goal is done, with a checkpoint before each\nstep that may change files. checkpoints: lists tasks and their checkpoints. restore: puts the\nfiles back as they were right before step N of a task (default: the latest task), after showing\nthe list and asking (--yes without a terminal); --undo takes the last restore back. Files changed\noutside the task's steps since are kept unless --include-changed. doctor: checks a setup, one\nline per check with the next step for each problem (--no-probe skips the one-token tool-call\nprobe).",
    ),
    l10n.t(
      'Options:\n  --workspace DIR        folder to work in (default: current directory)\n  --base-url URL         OpenAI-compatible server (env OPENAI_BASE_URL; default: the server\n                         used last if it still answers, else the first found running of Ollama\n                         :11434, LM Studio :1234, llama.cpp :8080, vLLM :8000; an API key given\n                         with no server means OpenAI\'s API)\n  --provider NAME        a server\'s usual address: {0}; or embedded: a GGUF model\n                         Stepwise runs itself, no server needed\n  --model-file PATH      the GGUF file --provider embedded runs\n  --model NAME           model name (env STEPWISE_MODEL; default: the server\'s first chat model)\n  --api-key KEY          API key (env OPENAI_API_KEY; local servers need none)\n  --api-key-file FILE    read the API key from FILE (env STEPWISE_API_KEY_FILE): it never\n                         appears in the process list or environment\n  --approve LEVEL        steps that run without asking: none | reads | edits | all (default: reads)\n  --max-steps N          model turns before giving up (default: {1})\n  --context-window N     the model\'s context window in tokens (default: asked from the server —\n                         Ollama, LM Studio, llama.cpp, vLLM —, else known hosted models, else 32768)\n  --budget-tokens N      pause before the task uses more than N tokens (asks on a terminal,\n                         stops otherwise)\n  --budget-usd X         the same for the estimated cost of a priced hosted model\n  --tool-protocol MODE   how the model calls tools: auto | native | text (default: auto: native\n                         tool calls, switching to text when the model or server cannot)\n  --reset-tool-protocol  forget that this model needed the text protocol, and start native again\n  --attach FILE|URL      attach a text file, an image or a web page to the goal (repeatable);\n                         @path in the goal attaches a workspace file\n  --compaction HOW       how earlier steps are summarised near the window: model | mechanical\n                         (default: model — its own summary — from a 16k window up, else mechanical)\n  --json                 one JSON event per line on stdout\n  --no-checkpoints       run without checkpoints (also when they cannot be stored)\n  --allow-command RULE   run commands this rule covers without asking (repeatable):\n                         "npm test" = exactly those words, "git diff *" = those words and any\n                         arguments, "/re/" = an anchored regular expression on the words\n  --deny-command RULE    never run commands this rule covers, whatever else allows them\n  --allow-host HOST      let web_fetch read from HOST without asking (repeatable; .example.org\n                         covers its subdomains too)\n  --allow-local-fetch    let web_fetch reach loopback and private-network addresses\n  --mcp-config FILE      MCP servers to use: {"servers": {NAME: {command, args, env} | {url,\n                         headers}}} or Claude\'s {"mcpServers": …} (repeatable)\n  --trust-workspace-mcp  start the servers the workspace defines (.vscode/mcp.json, .mcp.json)\n  --allow-mcp SERVER[/TOOL]\n                         run this MCP server\'s tools (or this one tool) without asking\n  --no-builtin-allow     ask also for the built-in read-only commands (ls, cat, git status…)\n  -h, --help             show this help\n  -v, --version          show the version',
      presets,
      DEFAULT_MAX_STEPS,
    ),
    l10n.t(
      'On a terminal, other steps are asked: y (yes), y N (this and the next N-1), a (always for this\nkind of step), r (allow the command as a rule for this run), n [feedback] (no, and tell the model\nwhy). Without a terminal they are denied. Rules also come from ~/.config/stepwise/config.json:\n{"commands": {"allow": [...], "deny": [...], "builtInAllow": true}}.\nExit codes: 0 finished (restore: restored; doctor: a task could run), 1 failed/cancelled/step\nlimit (restore: nothing restored; doctor: a task could not run), 2 bad usage or configuration.',
    ),
  ].join('\n\n');
}

// l10n-ignore: the usage lines are the CLI contract (DESIGN.md), the same in every language
const USAGE = `Usage: stepwise run [options] "GOAL"
       stepwise doctor [--base-url URL | --provider NAME] [--model NAME] [--api-key-file FILE] [--model-file PATH] [--no-probe]
       stepwise checkpoints [--workspace DIR] [--task ID] [--json]
       stepwise restore [--workspace DIR] [--task ID] --step N [--yes] [--include-changed]
       stepwise restore [--workspace DIR] --undo [--yes]`;
