/** Defaults shared by the CLI and VS Code, kept apart so reading them loads no client code. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:11434/v1';
