/**
 * The one handle on the VS Code webview API. `acquireVsCodeApi` may be called only once per page,
 * so every module posts through here; outgoing messages are typed by the protocol.
 */
import type { WebviewMessage } from '../protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

/** The only thing the webview keeps itself: where the conversation was scrolled to. */
export interface SavedState {
  scrollTop?: number;
  taskId?: string;
}

export function loadState(): SavedState {
  const s = api.getState();
  return s && typeof s === 'object' ? (s as SavedState) : {};
}

export function saveState(state: SavedState): void {
  api.setState(state);
}
