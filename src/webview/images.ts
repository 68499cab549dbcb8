/**
 * Images pasted or dropped into the goal box: kept as chips (name and size) and sent with the goal.
 * PNG, JPEG, GIF and WebP only, at most MAX_IMAGES of at most MAX_IMAGE_BYTES each; anything else
 * is refused with a message, never dropped silently.
 */
import * as l10n from '@vscode/l10n';
import { type ImageView, MAX_IMAGE_BYTES, MAX_IMAGES } from '../protocol/messages';
import { button, h, icon } from './dom';

const TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export class ImageChips {
  readonly el = h('div', { class: 'mention-chips', 'data-testid': 'image-chips' });
  private images: ImageView[] = [];

  constructor(private readonly problem: (text: string) => void) {
    this.el.hidden = true;
  }

  /** The image files among `files`; true when there was at least one (the caller keeps the event). */
  addFiles(files: Iterable<File>): boolean {
    let any = false;
    for (const file of files) {
      if (!file.type.startsWith('image/')) continue;
      any = true;
      void this.add(file);
    }
    return any;
  }

  take(): ImageView[] {
    const taken = this.images;
    this.images = [];
    this.render();
    return taken;
  }

  private async add(file: File): Promise<void> {
    const name = file.name || l10n.t('pasted image');
    if (!TYPES.has(file.type)) return this.problem(l10n.t('{0}: only PNG, JPEG, GIF and WebP images can be attached.', name));
    if (file.size > MAX_IMAGE_BYTES) return this.problem(l10n.t('{0} is {1}; at most {2} an image.', name, megabytes(file.size), megabytes(MAX_IMAGE_BYTES)));
    if (this.images.length >= MAX_IMAGES) return this.problem(l10n.t('At most {0} images go with one goal.', MAX_IMAGES));
    const data = await base64(file);
    this.images.push({ name, mimeType: file.type as ImageView['mimeType'], data });
    this.render();
  }

  private render(): void {
    this.el.hidden = this.images.length === 0;
    this.el.replaceChildren(
      ...this.images.map((image) =>
        h(
          'span',
          { class: 'mention-chip', 'data-testid': 'image-chip', title: image.name },
          icon('file-media'),
          h('span', { text: `${image.name} (${megabytes((image.data.length * 3) / 4)})` }),
          button({ label: l10n.t('Remove {0}', image.name), icon: 'close', kind: 'icon', testid: 'image-remove' }, () => {
            this.images = this.images.filter((i) => i !== image);
            this.render();
          }),
        ),
      ),
    );
  }
}

function base64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
