/** Which link targets the panel may offer to open: only web and mail links, never script or data. */
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

/** The URL a link may open (trimmed), or undefined when it is not http(s) or mailto. */
export function safeLinkTarget(href: string): string | undefined {
  const trimmed = href.trim();
  if (!SAFE_LINK.test(trimmed) || /[\u0000-\u001f\u007f]/.test(trimmed)) return undefined;
  return trimmed.length <= 2000 ? trimmed : undefined;
}
