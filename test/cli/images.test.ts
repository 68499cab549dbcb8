/** Images attached to a goal: sent as image parts to a model that takes them, refused clearly for one that does not. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { jsonEvents, runCli, scriptedRun } from '../support/cli';
import { runScripted } from '../support/agent';
import { startScriptedServer } from '../support/scriptedServer';
import { makeWorkspace, removeWorkspace } from '../support/workspace';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const finish = { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] };
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

function tempFile(name: string, bytes: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-image-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('images with the goal', () => {
  test('--attach of a PNG sends it as an image part with the goal, and names it', async () => {
    const { server, base } = await scriptedRun([finish], {}, cleanups);
    const image = tempFile('screenshot.png', PNG);
    const result = await runCli([...base, '--json', '--attach', image, 'What is in the picture?']);
    assert.equal(result.code, 0, result.stderr);
    const first = server.chatRequests()[0]!.body.messages[1];
    assert.equal(first.role, 'user');
    assert.deepEqual(first.content[0], { type: 'text', text: 'What is in the picture?' });
    assert.equal(first.content[1].type, 'image_url');
    assert.equal(first.content[1].image_url.url, `data:image/png;base64,${PNG.toString('base64')}`);
    const context = jsonEvents(result.stdout).find((e) => e.type === 'context');
    assert.deepEqual(context.attachments, ['screenshot.png (image)']);
  });

  test('a server that cannot take images: the task ends with the same clear refusal (exit 2), never a retry of the same request', async () => {
    const refusal = {
      status: 400,
      body: { error: { message: 'image input is not supported - hint: if this is unexpected, you may need to provide the mmproj' } },
    };
    const { server, base } = await scriptedRun([refusal, refusal, refusal], {}, cleanups);
    const result = await runCli([...base, '--attach', tempFile('a.png', PNG), 'Look']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /^stepwise: scripted-model does not take images \(the server said: .*image input is not supported.*\)\. Remove the image from the goal, or choose a model that sees images\.$/m,
    );
    assert.equal(server.chatRequests().length, 1);
  });

  test('a model the catalog lists with text input only is refused before any request; an image over 5 MB is refused at the start', async () => {
    const server = await startScriptedServer([finish]);
    const root = makeWorkspace({});
    cleanups.push(
      () => server.close(),
      () => removeWorkspace(root),
    );
    const images = [{ name: 'a.png', mimeType: 'image/png' as const, data: PNG.toString('base64') }];
    const run = await runScripted('Look', {
      url: server.url,
      root,
      modelFacts: { vision: false, source: 'OpenAI prices from models.dev' },
      context: { images },
    });
    assert.equal(run.status, 'failed');
    assert.match(run.summary, /does not take images \(models\.dev lists it with text input only\)/);
    assert.equal(server.chatRequests().length, 0);

    const huge = tempFile('huge.png', Buffer.concat([PNG.subarray(0, 16), Buffer.alloc(6 * 1024 * 1024)]));
    const result = await runCli(['run', '--workspace', root, '--base-url', server.url, '--model', 'm', '--attach', huge, 'x']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /an image of 6 MB; at most 5 MB can be attached/);
  });
});
