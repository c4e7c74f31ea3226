/**
 * Children of one container kept by key: a state frame re-renders only the
 * items whose signature changed (a streaming answer, a new reaction), so the
 * rest keep their DOM, hover state and images.
 */

export interface KeyedItem {
  key: string;
  /** Anything that changes when the item must be drawn again. */
  signature: string;
  render(): HTMLElement;
}

export class KeyedList {
  private nodes = new Map<string, { signature: string; node: HTMLElement }>();

  constructor(private readonly container: HTMLElement) {}

  update(items: readonly KeyedItem[]): void {
    const next = new Map<string, { signature: string; node: HTMLElement }>();
    let cursor: ChildNode | null = this.container.firstChild;
    for (const item of items) {
      const known = this.nodes.get(item.key);
      let node: HTMLElement;
      if (known && known.signature === item.signature) {
        node = known.node;
      } else {
        node = item.render();
        if (known) {
          if (known.node === cursor) cursor = known.node.nextSibling;
          known.node.remove();
        }
      }
      next.set(item.key, { signature: item.signature, node });
      if (node !== cursor) this.container.insertBefore(node, cursor);
      cursor = node.nextSibling;
    }
    for (const [key, { node }] of this.nodes) if (!next.has(key)) node.remove();
    this.nodes = next;
  }

  clear(): void {
    this.nodes.clear();
    this.container.textContent = '';
  }
}
