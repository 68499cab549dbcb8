/**
 * Theme variables for the harness page, a subset of what VS Code injects into a webview, with the
 * values of the default Light+, Dark+ and High Contrast themes.
 */
const common: Record<string, string> = {
  'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif',
  'font-size': '13px',
  'editor-font-family': '"DejaVu Sans Mono", Menlo, Consolas, monospace',
  'editor-font-size': '12px',
};

export const themes = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...common,
      foreground: '#616161',
      'editor-foreground': '#3b3b3b',
      'editor-background': '#ffffff',
      'sideBar-background': '#f8f8f8',
      descriptionForeground: '#717171',
      errorForeground: '#f85149',
      focusBorder: '#005fb8',
      'icon-foreground': '#3b3b3b',
      'button-background': '#005fb8',
      'button-foreground': '#ffffff',
      'button-hoverBackground': '#0258a8',
      'button-border': '#0000001a',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'button-secondaryHoverBackground': '#cccccc',
      'input-background': '#ffffff',
      'input-foreground': '#3b3b3b',
      'input-border': '#cecece',
      'input-placeholderForeground': '#767676',
      'badge-background': '#cccccc',
      'badge-foreground': '#3b3b3b',
      'testing-iconPassed': '#388a34',
      'testing-iconFailed': '#f14c4c',
      'editorWarning-foreground': '#bf8803',
      'editorInfo-foreground': '#1a85ff',
      'progressBar-background': '#005fb8',
      'textCodeBlock-background': '#f2f2f2',
      'textPreformat-background': '#0000001f',
      'scrollbarSlider-background': '#64646466',
      'textPreformat-foreground': '#3b3b3b',
      'textLink-foreground': '#005fb8',
      'textLink-activeForeground': '#005fb8',
      'textBlockQuote-background': '#f2f2f2',
      'textBlockQuote-border': '#0000001a',
      'widget-border': '#e5e5e5',
      'panel-border': '#e5e5e5',
      'sideBarSectionHeader-border': '#e5e5e5',
      'editorWidget-background': '#f8f8f8',
      'toolbar-hoverBackground': '#b8b8b850',
      'list-hoverBackground': '#f2f2f2',
      'diffEditor-insertedTextBackground': '#9ccc2c40',
      'diffEditor-removedTextBackground': '#ff000033',
      'inputValidation-warningBackground': '#f6f5d2',
      'inputValidation-warningBorder': '#b89500',
      'editorCursor-foreground': '#000000',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...common,
      foreground: '#cccccc',
      'editor-foreground': '#cccccc',
      'editor-background': '#1f1f1f',
      'sideBar-background': '#181818',
      descriptionForeground: '#9d9d9d',
      errorForeground: '#f85149',
      focusBorder: '#0078d4',
      'icon-foreground': '#cccccc',
      'button-background': '#0078d4',
      'button-foreground': '#ffffff',
      'button-hoverBackground': '#026ec1',
      'button-border': '#ffffff12',
      'button-secondaryBackground': '#313131',
      'button-secondaryForeground': '#cccccc',
      'button-secondaryHoverBackground': '#3c3c3c',
      'input-background': '#313131',
      'input-foreground': '#cccccc',
      'input-border': '#3c3c3c',
      'input-placeholderForeground': '#989898',
      'badge-background': '#616161',
      'badge-foreground': '#f8f8f8',
      'testing-iconPassed': '#73c991',
      'testing-iconFailed': '#f14c4c',
      'editorWarning-foreground': '#cca700',
      'editorInfo-foreground': '#3794ff',
      'progressBar-background': '#0078d4',
      'textCodeBlock-background': '#2b2b2b',
      'textPreformat-background': '#ffffff1a',
      'scrollbarSlider-background': '#79797966',
      'textPreformat-foreground': '#d0d0d0',
      'textLink-foreground': '#4daafc',
      'textLink-activeForeground': '#4daafc',
      'textBlockQuote-background': '#2b2b2b',
      'textBlockQuote-border': '#616161',
      'widget-border': '#313131',
      'panel-border': '#2b2b2b',
      'sideBarSectionHeader-border': '#2b2b2b',
      'editorWidget-background': '#202020',
      'toolbar-hoverBackground': '#5a5d5e50',
      'list-hoverBackground': '#2a2d2e',
      'diffEditor-insertedTextBackground': '#9ccc2c33',
      'diffEditor-removedTextBackground': '#ff000033',
      'inputValidation-warningBackground': '#352a05',
      'inputValidation-warningBorder': '#b89500',
      'editorCursor-foreground': '#aeafad',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...common,
      foreground: '#ffffff',
      'editor-foreground': '#ffffff',
      'editor-background': '#000000',
      'sideBar-background': '#000000',
      descriptionForeground: '#ffffffb3',
      errorForeground: '#f48771',
      focusBorder: '#f38518',
      'icon-foreground': '#ffffff',
      contrastBorder: '#6fc3df',
      contrastActiveBorder: '#f38518',
      'button-background': '#000000',
      'button-foreground': '#ffffff',
      'button-border': '#6fc3df',
      'button-secondaryBackground': '#000000',
      'button-secondaryForeground': '#ffffff',
      'input-background': '#000000',
      'input-foreground': '#ffffff',
      'input-border': '#6fc3df',
      'input-placeholderForeground': '#ffffffb3',
      'badge-background': '#000000',
      'badge-foreground': '#ffffff',
      'testing-iconPassed': '#73c991',
      'testing-iconFailed': '#f48771',
      'editorWarning-foreground': '#ffd370',
      'editorInfo-foreground': '#3794ff',
      'progressBar-background': '#6fc3df',
      'textCodeBlock-background': '#000000',
      'textPreformat-background': '#ffffff1a',
      'scrollbarSlider-background': '#6fc3df99',
      'textPreformat-foreground': '#ffd700',
      'textLink-foreground': '#21a6ff',
      'textLink-activeForeground': '#21a6ff',
      'textBlockQuote-background': '#000000',
      'textBlockQuote-border': '#ffffff',
      'widget-border': '#6fc3df',
      'panel-border': '#6fc3df',
      'editorWidget-background': '#0c141f',
      'list-hoverBackground': '#000000',
      'diffEditor-insertedTextBorder': '#33ff2eff',
      'diffEditor-removedTextBorder': '#ff008f',
      'editorCursor-foreground': '#ffffff',
      'inputValidation-warningBackground': '#000000',
      'inputValidation-warningBorder': '#ffd370',
    },
  },
} satisfies Record<string, { bodyClass: string; vars: Record<string, string> }>;

export type ThemeName = keyof typeof themes;

/** A short version of the default styles VS Code puts into every webview, so screenshots match. */
const VSCODE_DEFAULTS = `
body { background-color: transparent; color: var(--vscode-editor-foreground); font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size); margin: 0; padding: 0 20px; }
a, a code { color: var(--vscode-textLink-foreground); }
a:hover { color: var(--vscode-textLink-activeForeground); }
code { font-family: var(--vscode-editor-font-family); color: var(--vscode-textPreformat-foreground);
  background-color: var(--vscode-textPreformat-background); padding: 1px 3px; border-radius: 4px; }
pre code { padding: 0; }
blockquote { background: var(--vscode-textBlockQuote-background); border-color: var(--vscode-textBlockQuote-border); }
::-webkit-scrollbar { width: 10px; height: 10px; }
::-webkit-scrollbar-thumb { background-color: var(--vscode-scrollbarSlider-background); }
`;

/** The `:root { --vscode-… }` stylesheet for one theme; the page background is the sidebar's. */
export function themeCss(name: ThemeName): string {
  const t = themes[name];
  const vars = Object.entries(t.vars)
    .map(([k, v]) => `  --vscode-${k}: ${v};`)
    .join('\n');
  return `:root {\n${vars}\n}\n${VSCODE_DEFAULTS}\nhtml { background: var(--vscode-sideBar-background); }\n`;
}
