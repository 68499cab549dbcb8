import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultTools } from '../../src/core/tools/registry';

// What the model sees: names and required fields are a contract (README, "How it works"), and every token
// here is paid on every request.
test('the tool set matches the contract (README, "How it works")', () => {
  const specs = Object.fromEntries(
    defaultTools()
      .specs()
      .map((s) => [s.name, s.parameters as { properties: Record<string, unknown>; required?: string[] }]),
  );
  const shape = Object.fromEntries(
    Object.entries(specs).map(([name, p]) => [name, { fields: Object.keys(p.properties).sort(), required: (p.required ?? []).sort() }]),
  );
  assert.deepEqual(shape, {
    read_file: { fields: ['end_line', 'path', 'start_line'], required: ['path'] },
    list_files: { fields: ['path', 'recursive'], required: [] },
    search: { fields: ['glob', 'path', 'query', 'regex'], required: ['query'] },
    get_diagnostics: { fields: ['path'], required: [] },
    edit_file: { fields: ['edits', 'path'], required: ['edits', 'path'] },
    write_file: { fields: ['content', 'path'], required: ['content', 'path'] },
    run_command: { fields: ['command', 'timeout_s'], required: ['command'] },
    run_task: { fields: ['name'], required: ['name'] },
    web_fetch: { fields: ['url'], required: ['url'] },
    update_plan: { fields: ['steps'], required: ['steps'] },
    finish: { fields: ['summary'], required: ['summary'] },
  });
});

test('edit_file and update_plan describe their nested items exactly', () => {
  const specs = Object.fromEntries(
    defaultTools()
      .specs()
      .map((s) => [s.name, s]),
  );
  assert.deepEqual(specs.edit_file?.parameters.properties, {
    path: { type: 'string' },
    edits: {
      minItems: 1,
      type: 'array',
      items: { type: 'object', properties: { search: { type: 'string' }, replace: { type: 'string' } }, required: ['search', 'replace'] },
    },
  });
  const steps = (specs.update_plan?.parameters.properties as any).steps;
  assert.deepEqual(steps.items.properties.status, { type: 'string', enum: ['pending', 'in_progress', 'done'] });
});

test('schemas carry no token-wasting boilerplate', () => {
  const json = JSON.stringify(defaultTools().specs());
  assert.doesNotMatch(json, /\$schema|additionalProperties|9007199254740991/);
});
