/**
 * A download's progress on stderr: one line redrawn in place on a terminal (at most five times a
 * second), a line at each tenth otherwise (a log stays short).
 */
import * as l10n from '@vscode/l10n';

const megabytes = (bytes: number) => Math.round(bytes / 1024 ** 2).toLocaleString('en-US');

export function downloadProgress(stream: NodeJS.WriteStream, what: string): { update(done: number, total: number): void; end(): void } {
  const firstByte = { at: 0, from: 0 };
  let shownAt = 0;
  let tenth = -1;
  let drawn = false;
  const line = (done: number, total: number) => {
    if (!firstByte.at) Object.assign(firstByte, { at: Date.now(), from: done });
    const seconds = (Date.now() - firstByte.at) / 1000;
    const rate = seconds > 0.5 ? l10n.t(', {0} MB/s', ((done - firstByte.from) / 1024 ** 2 / seconds).toFixed(1)) : '';
    return l10n.t('downloading {0}: {1}% ({2} of {3} MB{4})', what, Math.floor((done / total) * 100), megabytes(done), megabytes(total), rate);
  };
  return {
    update(done, total) {
      if (stream.isTTY) {
        if (Date.now() - shownAt < 200 && done < total) return;
        shownAt = Date.now();
        drawn = true;
        stream.write(`\r\x1b[2Kstepwise: ${line(done, total)}`);
        return;
      }
      const now = Math.floor((done / total) * 10);
      if (now === tenth) return;
      tenth = now;
      stream.write(`stepwise: ${line(done, total)}\n`);
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}
