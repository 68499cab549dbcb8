/**
 * Model- and tool-controlled text shown in a terminal must not steer the terminal: a command such
 * as `touch x #` + ESC[23D ESC[K + ` npm test` would otherwise render as `$ npm test`, and OSC 52
 * writes the clipboard. Every C0/C1 control character (but newline and tab) and every bidi
 * control is shown as a visible escape instead.
 */

const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Whether the text holds anything escapeControls would change (but CRLF line ends). */
export function hasControls(text: string): boolean {
  CONTROLS.lastIndex = 0;
  return CONTROLS.test(text.replace(/\r\n/g, '\n'));
}

/** JSON lines keep C1 and bidi controls as \u escapes too (JSON.stringify leaves them raw). */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
