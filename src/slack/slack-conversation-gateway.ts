/**
 * The conversation pipeline's window on Slack: status reactions, context,
 * answers in the thread, private answers in DMs, notices.
 */
import type { WebClient } from '@slack/web-api';
import type {
  AnswerTarget,
  AnswerWriter,
  ContextMessage,
  ContextRequest,
  PersonDescription,
  PrivateAnswerIntro,
  SlackConversationPort,
  ThreadFileDelivery,
} from '../conversation/ports.ts';
import type { Logger } from '../logger.ts';
import type { AssistantThreads } from './assistant-threads.ts';
import { ContextReader, type BotIdentity } from './context-reader.ts';
import { createAnswerWriter, type AnswerWriterOptions } from './reply/answer-writers/create-answer-writer.ts';
import { slackErrorCode, toUserFacingSlackError } from './slack-errors.ts';
import type { UserDirectory } from './user-directory.ts';

/** Slack's assistant status line; it clears itself when Pulse posts. */
const THINKING_STATUS = 'is thinking…';

export interface GatewayOptions {
  client: WebClient;
  directory: UserDirectory;
  bot: BotIdentity;
  botToken: string;
  writer: AnswerWriterOptions;
  logger: Logger;
  assistantThreads: AssistantThreads;
}

export class SlackConversationGateway implements SlackConversationPort {
  private readonly client: WebClient;
  private readonly reader: ContextReader;
  /** DMs where assistant.threads.setStatus was refused: not asked again this process. */
  private readonly noAssistantStatus = new Set<string>();

  constructor(private readonly options: GatewayOptions) {
    this.client = options.client;
    this.reader = new ContextReader(options.client, options.directory, options.bot, options.botToken, options.logger);
  }

  async addReaction(channel: string, timestamp: string, name: string): Promise<void> {
    try {
      await this.client.reactions.add({ channel, timestamp, name });
    } catch (error) {
      if (slackErrorCode(error) !== 'already_reacted') throw error;
    }
  }

  async removeReaction(channel: string, timestamp: string, name: string): Promise<void> {
    try {
      await this.client.reactions.remove({ channel, timestamp, name });
    } catch (error) {
      if (slackErrorCode(error) !== 'no_reaction') throw error;
    }
  }

  async fetchContext(request: ContextRequest, limit: number): Promise<ContextMessage[]> {
    try {
      return await this.reader.read(request, limit);
    } catch (error) {
      throw toUserFacingSlackError(error);
    }
  }

  async describeUser(userId: string): Promise<PersonDescription> {
    const user = await this.options.directory.lookup(userId);
    return { name: user.name, timeZone: user.timeZone };
  }

  async showThinking(channelId: string, threadTs: string): Promise<void> {
    if (!this.options.assistantThreads.has(channelId, threadTs) || this.noAssistantStatus.has(channelId)) return;
    try {
      await this.client.assistant.threads.setStatus({ channel_id: channelId, thread_ts: threadTs, status: THINKING_STATUS });
    } catch (error) {
      // Only assistant threads take a status; elsewhere Slack refuses and the reactions suffice.
      this.noAssistantStatus.add(channelId);
      this.options.logger.debug(`assistant status unavailable in ${channelId}: ${slackErrorCode(error) ?? String(error)}`);
    }
  }

  async openPrivateAnswer(intro: PrivateAnswerIntro): Promise<string> {
    let link = 'a message';
    try {
      const { permalink } = await this.client.chat.getPermalink({ channel: intro.sourceChannelId, message_ts: intro.sourceMessageTs });
      if (permalink) link = `<${permalink}|a message>`;
    } catch (error) {
      throw toUserFacingSlackError(error);
    }
    const instruction = intro.instruction?.trim();
    const text = `:mag: You asked about ${link} in <#${intro.sourceChannelId}>${instruction ? `:\n>${instruction.replace(/\n/g, '\n>')}` : '.'}`;
    const response = await this.client.chat.postMessage({ channel: intro.dmChannelId, text, unfurl_links: false });
    if (!response.ts) throw new Error('chat.postMessage returned no ts');
    return response.ts;
  }

  openAnswer(target: AnswerTarget): AnswerWriter {
    const writer = createAnswerWriter(this.options.writer, target);
    return {
      showsProgress: writer.showsProgress,
      progress: (markdownSoFar) => writer.progress(markdownSoFar),
      finish: async (markdown) => {
        try {
          return await writer.finish(markdown);
        } catch (error) {
          throw toUserFacingSlackError(error);
        }
      },
      abandon: () => writer.abandon(),
    };
  }

  threadFiles(target: AnswerTarget): ThreadFileDelivery {
    return {
      uploadFile: async (file) => {
        try {
          await this.client.filesUploadV2({
            channel_id: target.channelId,
            thread_ts: target.threadTs,
            file: file.bytes,
            filename: file.filename,
            title: file.title,
            ...(file.altText ? { alt_text: file.altText } : {}),
          });
        } catch (error) {
          throw toUserFacingSlackError(error);
        }
      },
    };
  }

  async postNotice(channel: string, threadTs: string, text: string): Promise<void> {
    await this.client.chat.postMessage({ channel, thread_ts: threadTs, text });
  }

  async notifyPrivately(userId: string, text: string): Promise<void> {
    const opened = await this.client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    await this.client.chat.postMessage({ channel, text });
  }
}
