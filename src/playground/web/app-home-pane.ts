/**
 * The Pulse app's Home tab: the Home view Pulse published for the acting
 * person, drawn again only when it changes; values typed into it are kept.
 */
import type { ClientFrame, PlaygroundConversation, PlaygroundView } from '../protocol.ts';
import { asArray } from './block-kit-json.ts';
import { h, replaceChildren } from './create-element.ts';
import { renderBlocks } from './render-blocks.ts';
import type { WorkspaceNames } from './workspace-names.ts';

export interface HomeEnvironment {
  names: WorkspaceNames;
  conversations: readonly PlaygroundConversation[];
  botName: string;
  /** Changes whenever names or conversations do. */
  version: string;
  send(frame: ClientFrame): void;
}

export class AppHomePane {
  readonly element = h('div', { class: 'home', 'data-testid': 'home', hidden: true });
  private signature: string | undefined;
  private readonly drafts = new Map<string, string>();

  update(home: PlaygroundView | null, environment: HomeEnvironment): void {
    const signature = `${environment.version}|${JSON.stringify(home)}`;
    if (signature === this.signature) return;
    this.signature = signature;
    if (!home) {
      delete this.element.dataset.viewId;
      replaceChildren(this.element, h('div', { class: 'home-empty' }, `${environment.botName} has not published a Home yet.`));
      return;
    }
    const scroll = this.element.scrollTop;
    this.element.dataset.viewId = home.id;
    const blocks = renderBlocks(asArray(home.view.blocks), {
      names: environment.names,
      conversations: environment.conversations,
      act: (action) => environment.send({ type: 'block_action', target: { viewId: home.id }, action }),
      drafts: this.drafts,
      errors: home.errors,
      inputs: [],
    });
    replaceChildren(this.element, h('div', { class: 'home-blocks' }, blocks));
    this.element.scrollTop = scroll;
  }
}
