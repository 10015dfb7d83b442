// The core's form documents as Slack modals, and a submitted modal's state as the flat values the
// core reads. Each field is an input block whose block_id and action_id are the field's id.
import type { InputBlock, InputBlockElement, ModalView } from "@slack/web-api";
import type { FormDocument, FormField, FormReading, FormValues } from "../../../src/index.ts";
import {
  element,
  input,
  isUnreadable,
  modal,
  readState,
  textInput,
  type FormResult,
  type StateValues,
} from "./form-kit.ts";
import { LIMITS, option } from "./kit.ts";

/** The Slack element that enters a field of `kind`. */
function fieldElement(field: FormField): InputBlockElement {
  const { kind, initial } = field;
  if (kind === "text" || kind === "multiline") {
    return textInput({
      maxLength: Math.min(field.maxLength ?? LIMITS.text, LIMITS.text),
      initial,
      multiline: kind === "multiline",
      placeholder: field.placeholder,
    });
  }
  if (kind === "select" || kind === "radio") {
    const options = (field.options ?? []).map((o) => option(o.label, o.value));
    const chosen = options.find((o) => o.value === initial);
    const type = kind === "select" ? "static_select" : "radio_buttons";
    return { type, options, ...(chosen ? { initial_option: chosen } : {}) } as InputBlockElement;
  }
  if (kind === "date") return { type: "datepicker", ...(initial ? { initial_date: initial } : {}) };
  return { type: "datetimepicker" };
}

/** One field as an input block: optional unless the form requires it. */
export function renderField(field: FormField): InputBlock {
  return input(field.id, field.label, fieldElement(field), { optional: !field.required, hint: field.hint });
}

/** A form document as a modal with `callbackId` and its metadata. */
export function formModal(callbackId: string, form: FormDocument, metadata: unknown): ModalView {
  return modal(callbackId, form.title, form.fields.map(renderField), metadata, form.submit);
}

/** What was entered in each field of `form`, as the core reads it (a datetime as an ISO instant). */
export function formValues(state: StateValues, form: FormDocument): FormValues {
  const values: Record<string, string | null> = {};
  for (const { id } of form.fields) {
    const el = element(state, id);
    const at = el?.selected_date_time;
    values[id] =
      el?.value ??
      el?.selected_option?.value ??
      el?.selected_date ??
      (at == null ? null : new Date(at * 1000).toISOString());
  }
  return values;
}

/** Reads a submitted modal of `form` with the core's reader; a payload that is not one is reported on its first field. */
export function readForm<T>(
  values: unknown,
  form: FormDocument,
  read: (values: FormValues) => FormReading<T>,
): FormResult<T> {
  const state = readState(values, form.fields[0]!.id);
  if (isUnreadable(state)) return { errors: state };
  const reading = read(formValues(state, form));
  return "errors" in reading ? { errors: reading.errors } : { fields: reading.fields };
}
