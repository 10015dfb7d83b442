// Every card form and its parser, in one place for the Teams listeners.
export {
  FORM_KEY,
  FORM_VERBS,
  formWithErrors,
  type FormContext,
  type FormResult,
  type FormSurface,
} from "./form-kit.ts";
export { CALL_FORM, HEADS_UP_FORM, ISSUE_FORM, RECOMMEND_FORM } from "../../../src/index.ts";
export { dateInputId, formValues, renderForm, timeInputId, type FormComeback } from "./render-form.ts";
export { issueFormCard, parseIssueForm, type IssueFormFields } from "./issue-form.ts";
export { WEEKDAYS } from "./setup-settings.ts";
export {
  SETUP_FORM,
  parseSetupForm,
  setupFormAgain,
  setupFormCard,
  type SetupConversation,
  type SetupFields,
} from "./setup-form.ts";
export {
  DIRECT_REQUEST_FORM,
  directRequestFormCard,
  parseDirectRequestForm,
  type DirectRequestFields,
} from "./direct-request-form.ts";
export {
  callFormCard,
  headsUpFormCard,
  parseCallForm,
  parseHeadsUpForm,
  parseRecommendForm,
  recommendFormCard,
} from "./partner-forms.ts";
