/**
 * Bounds on what a model server may send. An event stream is passed on one whole event at a time
 * (up to the last blank line seen): the openai package's decoders copy and rescan their buffer on
 * every chunk, so one giant line in small chunks would cost quadratic time. Here each chunk is
 * looked at once, an event larger than `maxEventBytes` or a body larger than `maxBodyBytes` ends
 * the stream with a clear error, and memory stays bounded.
 */
import * as l10n from '@vscode/l10n';
import { ModelError } from './errors';

export interface StreamLimits {
  maxEventBytes: number;
  maxBodyBytes: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { maxEventBytes: 16 * 1024 * 1024, maxBodyBytes: 128 * 1024 * 1024 };

const LF = 0x0a;
const CR = 0x0d;

export function limitEventStream(body: ReadableStream<Uint8Array>, origin: string, limits: StreamLimits = DEFAULT_STREAM_LIMITS): ReadableStream<Uint8Array> {
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let total = 0;
  let last: Uint8Array = new Uint8Array(0); // the last bytes seen, for a boundary split across chunks
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.length;
        if (total > limits.maxBodyBytes) {
          controller.error(new ModelError('server', tooLarge(origin, mb(limits.maxBodyBytes))));
          return;
        }
        const end = lastBoundary(last, chunk);
        last = tail(last, chunk);
        if (end < 0) {
          held.push(chunk);
          heldBytes += chunk.length;
          if (heldBytes > limits.maxEventBytes) {
            controller.error(
              new ModelError(
                'server',
                l10n.t('The server at {0} sent one event larger than {1}; it was cut off as not a real answer.', origin, mb(limits.maxEventBytes)),
              ),
            );
          }
          return;
        }
        held.push(chunk.subarray(0, end));
        controller.enqueue(concat(held, heldBytes + end));
        held = end < chunk.length ? [chunk.subarray(end)] : [];
        heldBytes = chunk.length - end;
      },
      flush(controller) {
        if (heldBytes > 0) controller.enqueue(concat(held, heldBytes));
      },
    }),
  );
}

/** Index just after the last blank line ("\n\n", "\r\n\r\n" or "\r\r") ending in `chunk`, or -1. */
function lastBoundary(before: Uint8Array, chunk: Uint8Array): number {
  for (let i = chunk.length - 1; i >= 0; i--) {
    const c = chunk[i];
    if (c !== LF && c !== CR) continue;
    const prev = byteAt(before, chunk, i - 1);
    if ((c === LF && prev === LF) || (c === CR && prev === CR)) return i + 1;
    if (c === LF && prev === CR && byteAt(before, chunk, i - 2) === LF && byteAt(before, chunk, i - 3) === CR) return i + 1;
  }
  return -1;
}

function byteAt(before: Uint8Array, chunk: Uint8Array, i: number): number | undefined {
  return i >= 0 ? chunk[i] : before[before.length + i];
}

function tail(before: Uint8Array, chunk: Uint8Array): Uint8Array {
  if (chunk.length >= 3) return chunk.slice(chunk.length - 3);
  const joined = concat([before, chunk], before.length + chunk.length);
  return joined.slice(Math.max(0, joined.length - 3));
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0]!.length === length) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part.subarray(0, Math.min(part.length, length - at)), at);
    at += part.length;
    if (at >= length) break;
  }
  return out;
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

function tooLarge(origin: string, size: string): string {
  return l10n.t('The answer from {0} is larger than {1}; it was cut off as not a real answer.', origin, size);
}

/** Any other answer (a model list, an error): its body is cut off past `maxBytes` with a clear error. */
export function limitBody(body: ReadableStream<Uint8Array>, origin: string, maxBytes = 32 * 1024 * 1024): ReadableStream<Uint8Array> {
  let total = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.length;
        if (total > maxBytes) controller.error(new ModelError('server', tooLarge(origin, mb(maxBytes))));
        else controller.enqueue(chunk);
      },
    }),
  );
}
