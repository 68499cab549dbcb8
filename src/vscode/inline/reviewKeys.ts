/**
 * The keys of the in-place review, as the CodeLens tooltips and the review boxes name them. They
 * are bound in package.json only while a review is open in the focused file, and none types or
 * edits: not Ctrl+Backspace, Ctrl+Enter or Tab, and not Ctrl+Alt (Windows sends AltGr as
 * Ctrl+Alt, which types `>` or `ń` on some layouts), nor Option alone on macOS (it types too).
 * Alt+Y / Alt+N for the change at the cursor, with Shift for all of them (⌥⌘ on macOS).
 */
export function reviewKeys(platform: NodeJS.Platform = process.platform): { accept: string; reject: string; acceptAll: string; rejectAll: string } {
  const mod = platform === 'darwin' ? '⌥⌘' : 'Alt+';
  const all = platform === 'darwin' ? '⇧⌥⌘' : 'Alt+Shift+';
  return { accept: `${mod}Y`, reject: `${mod}N`, acceptAll: `${all}Y`, rejectAll: `${all}N` };
}
