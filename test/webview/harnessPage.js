// Page side of the webview harness (test/webview/harness.ts). Loaded before media/webview.js:
// stubs acquireVsCodeApi (recording what the panel posts) and offers helpers the Node side calls
// with page.evaluate: sending messages, streaming at a fixed rate, and timing renders.
void (() => {
  const posted = [];
  const violations = [];
  let state;
  let acquired = 0;
  window.acquireVsCodeApi = () => {
    if (++acquired > 1) throw new Error('acquireVsCodeApi called twice');
    return {
      postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => state,
      setState: (s) => {
        state = s;
      },
    };
  };
  document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));

  const longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* not supported */
  }

  const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r()));

  window.__harness = {
    posted,
    violations,
    send(msg) {
      window.postMessage(msg, '*');
    },

    /** Posts `tokens` as message_delta events at `perSecond`, measuring frames meanwhile. */
    async stream(taskId, tokens, perSecond) {
      const gaps = [];
      let last = performance.now();
      let running = true;
      const tick = (t) => {
        gaps.push(t - last);
        last = t;
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame((t) => {
        last = t;
        requestAnimationFrame(tick);
      });
      const longBefore = longTasks.length;
      const start = performance.now();
      let sent = 0;
      await new Promise((resolve) => {
        const timer = setInterval(() => {
          // Keep the average rate exact even when a timer fires late: send what is due.
          const due = Math.min(tokens.length, Math.floor(((performance.now() - start) / 1000) * perSecond) + 1);
          while (sent < due) window.postMessage({ type: 'event', taskId, event: { type: 'message_delta', text: tokens[sent++] } }, '*');
          if (sent >= tokens.length) {
            clearInterval(timer);
            resolve();
          }
        }, 1000 / perSecond);
      });
      const elapsed = performance.now() - start;
      await nextFrame();
      await nextFrame();
      await nextFrame();
      running = false;
      const sorted = [...gaps].sort((a, b) => a - b);
      return {
        sent,
        elapsedMs: elapsed,
        frames: gaps.length,
        over50: gaps.filter((g) => g > 50).length,
        over33: gaps.filter((g) => g > 33.4).length,
        maxGap: sorted[sorted.length - 1] ?? 0,
        p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
        longTasks: longTasks.slice(longBefore),
      };
    },

    /**
     * Posts `msg` and resolves with the time until `selector` matches at least `count` nodes that
     * were not in the page before, laid out.
     */
    timeRender(msg, selector, count) {
      return new Promise((resolve) => {
        let t0 = 0;
        const before = new Set(document.querySelectorAll(selector));
        const onMessage = () => {
          window.removeEventListener('message', onMessage);
          // Registered after the panel's own listener, so this frame callback runs right after its render.
          const check = () => {
            const now = [...document.querySelectorAll(selector)].filter((n) => !before.has(n));
            if (now.length < count) return void requestAnimationFrame(check);
            void document.getElementById('root').getBoundingClientRect().height;
            const rendered = performance.now() - t0;
            requestAnimationFrame(() => setTimeout(() => resolve({ renderedMs: rendered, paintedMs: performance.now() - t0 }), 0));
          };
          requestAnimationFrame(check);
        };
        window.addEventListener('message', onMessage);
        t0 = performance.now();
        window.postMessage(msg, '*');
      });
    },
  };
})();
