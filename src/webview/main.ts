/**
 * The sidebar webview's entry: receives validated messages from the extension, keeps the one task
 * it shows (changed in place by the shared reducer), and renders at most once per animation frame,
 * however many events arrive in between.
 */
import './zodConfig';
import { applyTaskEvent } from '../protocol/taskReducer';
import { parseIncoming } from './incoming';
import { warmUp } from './markdown';
import { useLocale } from './locale';
import { App, type Model } from './render';
import { loadState, post, saveState } from './vscodeApi';

const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
const model: Model = { task: undefined, history: [], running: false, showHistory: false };
const saved = loadState();
let restoreScroll: number | undefined = saved.scrollTop;

let frame = 0;
function schedule(): void {
  if (frame === 0) frame = requestAnimationFrame(flush);
}

function flush(): void {
  frame = 0;
  app.render(model);
  if (restoreScroll !== undefined && model.task && model.task.id === saved.taskId) {
    app.scroller.scrollTop = restoreScroll;
    restoreScroll = undefined;
  }
}

const toggleHistory = () => {
  model.showHistory = !model.showHistory;
  schedule();
};
let app = new App(root, post, toggleHistory);

/** The page again in the language just received (its parts read their words when they are built). */
function remount(): void {
  const draft = app.composer.input.value;
  root.replaceChildren();
  app = new App(root, post, toggleHistory);
  app.composer.input.value = draft;
  watchScroll();
}

window.addEventListener('message', (ev: MessageEvent) => {
  const msg = parseIncoming(ev.data);
  if (!msg) return;
  switch (msg.type) {
    case 'l10n':
      document.documentElement.lang = useLocale(msg.locale, msg.bundle);
      remount();
      break;
    case 'state':
      if (msg.task?.id !== model.task?.id) model.showHistory = false;
      model.task = msg.task;
      model.history = msg.history;
      model.running = msg.running;
      break;
    case 'history':
      model.history = msg.history;
      break;
    case 'setup':
      model.setup = msg.setup;
      break;
    case 'mentionResults':
      return app.composer.mentionResults(msg.requestId, msg.items);
    case 'mentionsAdded':
      return app.composer.mentionsAdded(msg.items);
    case 'composerError':
      return app.composer.rejected(msg.text, msg.goal, msg.mentions);
    case 'promptFilled':
      return app.composer.promptFilled(msg.text);
    case 'event':
      // Events for another task (one just closed, or a stale sender) are not ours to apply.
      if (!model.task || msg.taskId !== model.task.id) return;
      applyTaskEvent(model.task, msg.event);
      if (msg.event.type === 'done') model.running = false;
      break;
  }
  schedule();
});

document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && !ev.defaultPrevented) {
    if (model.running) {
      ev.preventDefault();
      post({ type: 'stop' });
    } else if (model.showHistory && model.task) {
      model.showHistory = false;
      schedule();
    }
  }
});

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
function watchScroll(): void {
  app.scroller.addEventListener(
    'scroll',
    () => {
      clearTimeout(scrollTimer);
      scrollTimer = setTimeout(() => saveState({ scrollTop: app.scroller.scrollTop, taskId: model.task?.id }), 200);
    },
    { passive: true },
  );
}
watchScroll();

schedule();
app.composer.input.focus();
post({ type: 'ready' });
warmUp();
