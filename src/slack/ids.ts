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
  apiKey: 'api_key_modal',
  budgets: 'budgets_modal',
  analyticsSettings: 'analytics_settings_modal',
  deleteAnalytics: 'analytics_delete_modal',
  joinNotice: 'join_notice_modal',
  disconnect: 'disconnect_modal',
} as const;

/** Block and action ids inside Pulse's views. */
export const BLOCK_ID = {
  instruction: 'instruction',
  apiKey: 'api_key',
  teamBudget: 'team_budget',
  userBudget: 'user_budget',
  autoJoinPattern: 'analytics_pattern',
  lookbackDays: 'analytics_lookback',
  retentionDays: 'analytics_retention',
  storeText: 'analytics_store_text',
  pseudonymize: 'analytics_pseudonymize',
  personFigures: 'analytics_person_figures',
  deleteConfirmation: 'analytics_delete_confirmation',
  joinNotice: 'join_notice',
  disconnectConfirmation: 'disconnect_confirmation',
} as const;

export const ACTION_ID = {
  instructionInput: 'instruction_input',
  /** The pasted key's input; the logger redacts its value wherever a payload is logged. */
  apiKeyInput: 'api_key_input',
  teamBudgetInput: 'team_budget_input',
  userBudgetInput: 'user_budget_input',
  setApiKey: 'api_key_set',
  removeApiKey: 'api_key_remove',
  selectModel: 'model_select',
  testConnection: 'connection_test',
  editBudgets: 'budgets_edit',
  syncNow: 'analytics_sync_now',
  editAnalytics: 'analytics_edit',
  resumeAnalytics: 'analytics_resume',
  deleteAnalytics: 'analytics_delete',
  autoJoinPatternInput: 'analytics_pattern_input',
  lookbackDaysInput: 'analytics_lookback_input',
  retentionDaysInput: 'analytics_retention_input',
  storeTextSelect: 'analytics_store_text_select',
  pseudonymizeSelect: 'analytics_pseudonymize_select',
  personFiguresSelect: 'analytics_person_figures_select',
  deleteConfirmationInput: 'analytics_delete_confirmation_input',
  editJoinNotice: 'join_notice_edit',
  joinNoticeSelect: 'join_notice_select',
  disconnect: 'pulse_disconnect',
  disconnectConfirmationInput: 'disconnect_confirmation_input',
} as const;

/** Scheduled reports: buttons under a delivered report and a proposal, App Home's menu, the report modals. */
export const REPORT_IDS = {
  action: {
    rerun: 'report_rerun',
    pause: 'report_pause',
    confirmProposal: 'report_proposal_confirm',
    cancelProposal: 'report_proposal_cancel',
    create: 'report_create',
    manage: 'report_manage',
    nameInput: 'report_name_input',
    questionInput: 'report_question_input',
    scheduleInput: 'report_schedule_input',
    destinationSelect: 'report_destination_select',
  },
  view: {
    edit: 'report_edit_modal',
    delete: 'report_delete_modal',
  },
  block: {
    name: 'report_name',
    question: 'report_question',
    schedule: 'report_schedule',
    destination: 'report_destination',
    reportActions: 'report_actions',
    proposalActions: 'report_proposal_actions',
  },
} as const;
