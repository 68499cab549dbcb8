/** What a UI may ask of a running task between steps (the sidebar's Compact); taken at the next step. */
export class TaskControl {
  private compact = false;

  requestCompaction(): void {
    this.compact = true;
  }

  takeCompaction(): boolean {
    const asked = this.compact;
    this.compact = false;
    return asked;
  }
}
