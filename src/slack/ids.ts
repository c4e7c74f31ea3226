/**
 * Every callback_id, action_id and block_id Pulse uses. manifest.json names the
 * same shortcut callback ids; test/unit/manifest.test.ts keeps the two in step.
 */

/** Message shortcuts declared in manifest.json `features.shortcuts`. */
export const SHORTCUT_ID = {
  askPulse: 'ask_pulse',
  askPulseInDm: 'ask_pulse_in_dm',
} as const;

/** Modal callback ids (view_submission routing). */
export const VIEW_ID = {
  askInstruction: 'ask_instruction',
  askUnavailable: 'ask_unavailable',
} as const;

/** Block and action ids inside Pulse's views. */
export const BLOCK_ID = {
  instruction: 'instruction',
} as const;

export const ACTION_ID = {
  instructionInput: 'instruction_input',
} as const;
