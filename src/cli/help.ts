/** `stepwise --help`. */
import { PRESETS } from '../core/model/presets';
import { DEFAULT_MAX_STEPS } from '../core/tools/limits';

export const HELP = `Usage: stepwise run [options] "GOAL"
       stepwise doctor [--base-url URL | --provider NAME] [--model NAME] [--api-key-file FILE] [--no-probe]
       stepwise checkpoints [--workspace DIR] [--task ID] [--json]
       stepwise restore [--workspace DIR] [--task ID] --step N [--yes] [--include-changed]
       stepwise restore [--workspace DIR] --undo [--yes]

run: runs the Stepwise agent on a folder until the goal is done, with a checkpoint before each
step that may change files. checkpoints: lists tasks and their checkpoints. restore: puts the
files back as they were right before step N of a task (default: the latest task), after showing
the list and asking (--yes without a terminal); --undo takes the last restore back. Files changed
outside the task's steps since are kept unless --include-changed. doctor: checks a setup, one
line per check with the next step for each problem (--no-probe skips the one-token tool-call
probe).

Options:
  --workspace DIR        folder to work in (default: current directory)
  --base-url URL         OpenAI-compatible server (env OPENAI_BASE_URL; default: the server
                         used last if it still answers, else the first found running of Ollama
                         :11434, LM Studio :1234, llama.cpp :8080, vLLM :8000; an API key given
                         with no server means OpenAI's API)
  --provider NAME        a server's usual address: ${PRESETS.map((p) => p.id).join(' | ')}
  --model NAME           model name (env STEPWISE_MODEL; default: the server's first chat model)
  --api-key KEY          API key (env OPENAI_API_KEY; local servers need none)
  --api-key-file FILE    read the API key from FILE (env STEPWISE_API_KEY_FILE): it never
                         appears in the process list or environment
  --approve LEVEL        steps that run without asking: none | reads | edits | all (default: reads)
  --max-steps N          model turns before giving up (default: ${DEFAULT_MAX_STEPS})
  --context-window N     the model's context window in tokens (default: asked from the server —
                         Ollama, LM Studio, llama.cpp, vLLM —, else known hosted models, else 32768)
  --budget-tokens N      pause before the task uses more than N tokens (asks on a terminal,
                         stops otherwise)
  --budget-usd X         the same for the estimated cost of a priced hosted model
  --tool-protocol MODE   how the model calls tools: auto | native | text (default: auto: native
                         tool calls, switching to text when the model or server cannot)
  --reset-tool-protocol  forget that this model needed the text protocol, and start native again
  --attach FILE          attach a text file to the goal (repeatable); @path in the goal attaches
                         a workspace file
  --compaction HOW       how earlier steps are summarised near the window: model | mechanical
                         (default: model — its own summary — from a 16k window up, else mechanical)
  --json                 one JSON event per line on stdout
  --no-checkpoints       run without checkpoints (also when they cannot be stored)
  --allow-command RULE   run commands this rule covers without asking (repeatable):
                         "npm test" = exactly those words, "git diff *" = those words and any
                         arguments, "/re/" = an anchored regular expression on the words
  --deny-command RULE    never run commands this rule covers, whatever else allows them
  --no-builtin-allow     ask also for the built-in read-only commands (ls, cat, git status…)
  -h, --help             show this help
  -v, --version          show the version

On a terminal, other steps are asked: y (yes), y N (this and the next N-1), a (always for this
kind of step), r (allow the command as a rule for this run), n [feedback] (no, and tell the model
why). Without a terminal they are denied. Rules also come from ~/.config/stepwise/config.json:
{"commands": {"allow": [...], "deny": [...], "builtInAllow": true}}.
Exit codes: 0 finished (restore: restored; doctor: a task could run), 1 failed/cancelled/step
limit (restore: nothing restored; doctor: a task could not run), 2 bad usage or configuration.`;
