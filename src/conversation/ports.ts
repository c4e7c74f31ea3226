/**
 * What the answering pipeline needs from Slack and from the LLM, as plain
 * interfaces: src/slack and src/agent implement them, so this folder imports
 * neither SDK and its logic is tested against the emulator through them.
 */

export interface ContextFile {
  name: string;
  mimetype: string;
}

/** An image the model may look at, downloaded from Slack and size-capped. */
export interface ContextImage {
  name: string;
  mimetype: string;
  /** Base64 of the image bytes. */
  base64: string;
}

/** One message of the conversation as the model will read it. */
export interface ContextMessage {
  ts: string;
  authorId: string;
  authorName: string;
  /** Pulse's own earlier messages become the assistant's turns. */
  fromPulse: boolean;
  /** Text with Slack markup resolved (mentions as names). */
  text: string;
  files: ContextFile[];
  images?: ContextImage[];
}

/** Which messages make up a question's context. */
export interface ContextRequest {
  channelId: string;
  /** Root of the thread the messages belong to. */
  threadTs: string;
  /** Read the thread (conversations.replies) rather than the conversation's top level (history). */
  fromThread: boolean;
  /** The newest message to include; undefined: up to the newest message of the thread. */
  untilTs: string | undefined;
}

export interface PersonDescription {
  name: string;
  timeZone: string | undefined;
}

/** A private answer's opening message in the asker's DM (shortcut "Ask Pulse in DM"). */
export interface PrivateAnswerIntro {
  dmChannelId: string;
  sourceChannelId: string;
  sourceMessageTs: string;
  instruction: string | undefined;
}

/** Where an answer goes, and who it is for (Slack's streaming API needs the recipient in channels). */
export interface AnswerTarget {
  teamId: string;
  channelId: string;
  threadTs: string;
  recipientUserId: string;
}

/**
 * Delivers one answer. The pipeline reports the Markdown written so far while
 * the model streams, then the final text; a writer may show progress
 * (streaming, throttled updates) or only post at the end.
 */
export interface AnswerWriter {
  /** Whether progress is shown at all; when not, the model is not streamed (it costs CPU per token). */
  readonly showsProgress: boolean;
  /** The answer's Markdown so far (cumulative). Never throws; problems surface in finish(). */
  progress(markdownSoFar: string): void;
  /** Delivers the complete answer; resolves with the ts of its first message. */
  finish(markdown: string): Promise<string>;
  /** The answer failed midway: no half answer may be left looking complete. */
  abandon(): Promise<void>;
}

export interface SlackConversationPort {
  addReaction(channelId: string, ts: string, name: string): Promise<void>;
  removeReaction(channelId: string, ts: string, name: string): Promise<void>;
  /** The last `limit` messages of the request, oldest first. */
  fetchContext(request: ContextRequest, limit: number): Promise<ContextMessage[]>;
  describeUser(userId: string): Promise<PersonDescription>;
  /** Best effort "is thinking…" in a DM (Slack's assistant status); never throws. */
  showThinking(channelId: string, threadTs: string): Promise<void>;
  /** Posts the opening of a private answer in the asker's DM; returns its ts (the answer's thread). */
  openPrivateAnswer(intro: PrivateAnswerIntro): Promise<string>;
  /** Tells a person something in their DM with Pulse (when the thread itself is out of reach). */
  notifyPrivately(userId: string, text: string): Promise<void>;
  /** Starts an answer in the thread. */
  openAnswer(target: AnswerTarget): AnswerWriter;
  /** Uploads files into that thread only (files.uploadV2). */
  threadFiles(target: AnswerTarget): ThreadFileDelivery;
  /** Posts a short plain explanation of a failure in the thread. */
  postNotice(channelId: string, threadTs: string, text: string): Promise<void>;
}

export interface AnswerUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface GeneratedAnswer {
  markdown: string;
  model: string;
  usage: AnswerUsage;
}

/** A file for the thread being answered (a chart PNG, a CSV table). */
export interface ThreadFile {
  bytes: Buffer;
  filename: string;
  title: string;
  altText?: string | undefined;
}

/** The only way tools reach Slack: files into the thread being answered, nowhere else. */
export interface ThreadFileDelivery {
  uploadFile(file: ThreadFile): Promise<void>;
}

export interface AnswerRequest {
  teamId: string;
  askerId: string;
  /** The asker's time zone from their Slack profile, so "today" means their today. */
  askerTimeZone?: string | undefined;
  context: ContextMessage[];
  /** Files the answer's tools produce go into the answer's thread. */
  files: ThreadFileDelivery;
  /** The thread being answered (absent for a scheduled report's run, which has no conversation). */
  thread?: { channelId: string; threadTs: string } | undefined;
  /** Who reads the answer besides the asker (a scheduled report's destination): analytics figures are held to it. */
  audience?: { privateChannelIds: readonly string[] } | undefined;
}

export interface AnswerGenerator {
  /** `onProgress` receives the answer's Markdown so far while the model streams it. */
  generateAnswer(request: AnswerRequest, onProgress?: (markdownSoFar: string) => void): Promise<GeneratedAnswer>;
}
