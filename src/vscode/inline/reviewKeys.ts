/**
 * The keys of the in-place review, as the CodeLens tooltips and the review boxes name them. They
 * are bound in package.json only while a review is open in the focused file, and none is an
 * editing key (not Ctrl+Backspace, Ctrl+Enter or Tab): Ctrl+Alt+Y / N for the change at the
 * cursor, with Shift for all of them (⌥⌘ on macOS).
 */
export function reviewKeys(platform: NodeJS.Platform = process.platform): { accept: string; reject: string; acceptAll: string; rejectAll: string } {
  const mod = platform === 'darwin' ? '⌥⌘' : 'Ctrl+Alt+';
  const all = platform === 'darwin' ? '⇧⌥⌘' : 'Ctrl+Alt+Shift+';
  return { accept: `${mod}Y`, reject: `${mod}N`, acceptAll: `${all}Y`, rejectAll: `${all}N` };
}
