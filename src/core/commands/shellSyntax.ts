/**
 * From a bash syntax tree to the simple commands a command line runs: those in lists, pipelines,
 * subshells, brace groups, `$(…)`, backticks and `<(…)`, each with its words after quote removal,
 * its variable assignments and its redirections (including those of an enclosing group). Whatever
 * this cannot read for certain becomes a problem, and a command with a problem is always asked.
 */
// l10n-ignore-file: command-check reasons are shown on approval cards and also given to the model as why a step was asked
import type { Node } from '@vscode/tree-sitter-wasm';

/** A word as the shell will pass it; `value` is undefined when it is only known when it runs. */
export interface Word {
  value?: string;
  /** Unquoted glob characters: the shell expands it to file names. */
  glob?: boolean;
}

export interface Redirect {
  /** The operator as written: `>`, `>>`, `<`, `&>`, `2>&1`'s `>&`… */
  op: string;
  kind: 'write' | 'read' | 'dup' | 'input';
  target: Word;
}

export interface SimpleCommand {
  /** The source text, for the approval. */
  text: string;
  words: Word[];
  /** Names of variables it sets (`FOO=1 cmd`, `export FOO=1`, `FOO=1` on its own). */
  assignments: string[];
  redirects: Redirect[];
}

export interface ShellScript {
  commands: SimpleCommand[];
  /** Why the parse cannot be trusted (syntax errors, here-documents, comments…); empty when it can. */
  problems: string[];
}

/** Statement nodes that only group or chain commands: their commands are read one by one. */
const GROUPS = new Set(['program', 'list', 'pipeline', 'subshell', 'compound_statement', 'negated_command']);

export function readScript(root: Node): ShellScript {
  const out: ShellScript = { commands: [], problems: [] };
  if (root.hasError) out.problems.push('it could not be parsed as shell syntax');
  statement(root, [], out);
  return out;
}

function problem(out: ShellScript, text: string): void {
  if (!out.problems.includes(text)) out.problems.push(text);
}

function statement(node: Node, inherited: Redirect[], out: ShellScript, text?: string, extra: Word[] = []): void {
  const type = node.type;
  if (GROUPS.has(type)) {
    for (const child of node.namedChildren) if (child) statement(child, inherited, out);
    return;
  }
  switch (type) {
    case 'redirected_statement': {
      const redirects = [...inherited];
      const words: Word[] = [];
      for (const child of node.childrenForFieldName('redirect')) if (child) words.push(...redirect(child, redirects, out));
      const body = node.childForFieldName('body');
      // `cmd 2>&1 more args`: the words after a redirection are the command's too.
      if (body?.type !== 'command' && words.length) problem(out, 'it has words after a redirection that belong to no command');
      if (!body) out.commands.push({ text: node.text, words, assignments: [], redirects });
      else statement(body, redirects, out, body.type === 'command' ? node.text : undefined, words);
      return;
    }
    case 'command':
      return command(node, inherited, out, text ?? node.text, extra);
    case 'variable_assignment':
    case 'variable_assignments':
    case 'declaration_command':
    case 'unset_command':
      return declaration(node, inherited, out);
    case 'comment':
      return problem(out, 'it has a comment, which can hide what follows');
    case 'ERROR':
      return problem(out, 'it could not be parsed as shell syntax');
    default:
      // if/for/while/case/functions/[[ ]]: not read here; their commands still count for deny rules.
      problem(out, `it uses shell syntax Stepwise does not check (${type.replace(/_/g, ' ')})`);
      for (const child of node.namedChildren) if (child) statement(child, inherited, out);
  }
}

function command(node: Node, inherited: Redirect[], out: ShellScript, text: string, extra: Word[]): void {
  const cmd: SimpleCommand = { text, words: [], assignments: [], redirects: [...inherited] };
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'variable_assignment') {
      assignment(child, cmd, out);
    } else if (child.type.endsWith('_redirect')) {
      cmd.words.push(...redirect(child, cmd.redirects, out));
    } else if (child.type === 'command_name') {
      cmd.words.push(child.firstNamedChild ? word(child.firstNamedChild, out) : {});
    } else if (child.type === 'comment') {
      problem(out, 'it has a comment, which can hide what follows');
    } else {
      cmd.words.push(word(child, out));
    }
  }
  cmd.words.push(...extra);
  out.commands.push(cmd);
}

/** `NAME=value`, `a[$(cmd)]=1`: the name, and the commands in its subscript and value. */
function assignment(node: Node, cmd: SimpleCommand, out: ShellScript): void {
  const name = node.childForFieldName('name');
  cmd.assignments.push(name?.type === 'subscript' ? (name.firstNamedChild?.text ?? name.text) : (name?.text ?? node.text));
  if (name && name.type !== 'variable_name') dynamic(name, out);
  const value = node.childForFieldName('value');
  if (value) word(value, out);
}

/** `FOO=1`, `export FOO=1 BAR`, `local x`, `unset PATH`: the shell's own ways to set variables. */
function declaration(node: Node, inherited: Redirect[], out: ShellScript): void {
  const cmd: SimpleCommand = { text: node.text, words: [], assignments: [], redirects: [...inherited] };
  const keyword = node.type === 'declaration_command' || node.type === 'unset_command' ? node.child(0)?.text : undefined;
  const visit = (n: Node) => {
    if (n.type === 'variable_assignment') {
      assignment(n, cmd, out);
    } else if (n.type === 'variable_assignments') {
      for (const c of n.namedChildren) if (c) visit(c);
    } else {
      const w = word(n, out);
      cmd.words.push(w);
      if (!w.value?.startsWith('-')) cmd.assignments.push(n.text);
    }
  };
  if (keyword === undefined) visit(node);
  else {
    cmd.words.push({ value: keyword });
    for (const child of node.namedChildren) if (child) visit(child);
  }
  out.commands.push(cmd);
}

/** Adds the redirection to `into`; returns the words written after its target (arguments of the command). */
function redirect(node: Node, into: Redirect[], out: ShellScript): Word[] {
  if (node.type === 'heredoc_redirect') {
    problem(out, 'it has a here-document');
    return [];
  }
  if (node.type === 'herestring_redirect') {
    const body = node.namedChildren.find((c) => c && c.type !== 'file_descriptor');
    into.push({ op: '<<<', kind: 'input', target: body ? word(body, out) : {} });
    return [];
  }
  if (node.type !== 'file_redirect') {
    problem(out, `it uses a redirection Stepwise does not check (${node.type})`);
    return [];
  }
  let op = '';
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i);
    if (c && !c.isNamed) op += c.text;
  }
  // bash reads `&>` as "stdout and stderr", sh (dash) as `&` then `>`: two different commands.
  if (op === '&>' || op === '&>>') problem(out, `it uses \`${op}\`, which sh and bash read differently`);
  const [destination, ...more] = node.childrenForFieldName('destination').filter((d): d is Node => d !== null);
  const target = destination ? word(destination, out) : {};
  // `2>&1`, `>&2`, `<&0`, `>&-`: copies or closes a descriptor, names no file.
  if ((op === '>&' || op === '<&') && target.value !== undefined && /^(\d+|-)$/.test(target.value)) into.push({ op, kind: 'dup', target });
  else into.push({ op, kind: op === '<' || op === '<&' ? 'read' : 'write', target });
  return more.map((w) => word(w, out));
}

/** Brace expansion ({a,b}, {1..9}) turns one word into several: not known statically. */
const BRACE_EXPANSION = /\{[^{}\s]*(,|\.\.)[^{}\s]*\}/;

/** A word after quote removal; computed parts make it unknown, and their commands are read too. */
function word(node: Node, out: ShellScript): Word {
  switch (node.type) {
    case 'word': {
      const raw = node.text;
      if (BRACE_EXPANSION.test(raw)) return {};
      return { value: raw.replace(/\\\r?\n/g, '').replace(/\\(.)/gs, '$1'), ...(/(^|[^\\])[*?[]/.test(raw) ? { glob: true } : {}) };
    }
    case 'number':
    case 'variable_name':
      return { value: node.text };
    case 'raw_string':
      return { value: node.text.slice(1, -1) };
    case 'string': {
      let value = '';
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'string_content') value += child.text.replace(/\\\r?\n/g, '').replace(/\\([$`"\\])/g, '$1');
        else return dynamic(node, out);
      }
      return { value };
    }
    case 'concatenation': {
      let value = '';
      let glob = false;
      for (const child of node.namedChildren) {
        if (!child) continue;
        // `{/etc/passwd,"a b"}`: an unquoted brace with a comma or `..` anywhere in the word expands.
        if (child.type === 'word' && /[{}]/.test(child.text) && /,|\.\./.test(node.text)) return dynamic(node, out);
        const part = word(child, out);
        if (part.value === undefined) return dynamic(node, out);
        value += part.value;
        glob ||= part.glob === true;
      }
      return { value, ...(glob ? { glob: true } : {}) };
    }
    case 'ansi_c_string':
      problem(out, "it uses ANSI-C quoting ($'…'), which can spell any character");
      return {};
    default:
      return dynamic(node, out);
  }
}

/** `$X`, `$(…)`, `$((…))`…: known only when it runs; the commands inside are read like any other. */
function dynamic(node: Node, out: ShellScript): Word {
  const visit = (n: Node) => {
    // bash evaluates a variable's value in $((…)) as arithmetic again, and an array subscript in it runs $(…).
    if (n.type === 'arithmetic_expansion' && /[A-Za-z_]/.test(n.text.replace(/^\$\(\(/, '')))
      problem(out, 'it uses a variable in arithmetic, which can run commands');
    if (n.type === 'command_substitution' && n.text.startsWith('`') && n.text.includes('\\`')) problem(out, 'it nests backticks, which Stepwise does not read');
    if (n.type === 'command_substitution' || n.type === 'process_substitution') {
      for (const child of n.namedChildren) if (child) statement(child, [], out);
      return;
    }
    if (n.type === 'ansi_c_string') problem(out, "it uses ANSI-C quoting ($'…'), which can spell any character");
    for (const child of n.namedChildren) if (child) visit(child);
  };
  visit(node);
  return {};
}
