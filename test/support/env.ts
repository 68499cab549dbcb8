/** Sets environment variables of this process for a test (undefined: unset); returns what puts them back. */
export function setEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const set = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) value === undefined ? delete process.env[name] : (process.env[name] = value);
  };
  set(values);
  return () => set(saved);
}
