import { parseArgs } from "node:util";
import { z } from "zod";

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** A pass in which some job failed outright: the command exits non-zero. */
export class JobsFailed extends Error {
  constructor() {
    super("some jobs failed; see the lines above");
  }
}

type Shape = Record<string, z.ZodType>;

/**
 * Parses `--flag value` arguments against a zod object shape: unknown flags, missing values and
 * invalid values each become one UsageError naming the flag.
 */
export function parseFlags<S extends Shape>(argv: string[], shape: S): z.infer<z.ZodObject<S>> {
  let values: Record<string, unknown>;
  try {
    const options = Object.fromEntries(
      Object.entries(shape).map(([k, schema]) => [
        k,
        { type: isSwitch(schema) ? ("boolean" as const) : ("string" as const) },
      ]),
    );
    const args = joinNegativeValues(argv, options);
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError(simplify((e as Error).message));
  }
  const result = z.object(shape).strict().safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const flag = issue.path[0] ? `--${String(issue.path[0])}` : "arguments";
    const given = issue.path[0] !== undefined ? values[String(issue.path[0])] : undefined;
    // A sentence's full stop gives way to the value it is about.
    const message = issue.message.replace(/\.$/, "");
    throw new UsageError(
      given === undefined ? `${flag} is required` : `${flag}: ${message} (got "${String(given)}")`,
    );
  }
  return result.data;
}

/**
 * `--flag -5` as `--flag=-5`: node's parser takes a value that starts with a dash for a flag and
 * refuses it as ambiguous, but a negative number is a value, to be read (and refused, where it
 * must be positive) by the flag's own reader.
 */
function joinNegativeValues(argv: string[], options: Record<string, { type: "string" | "boolean" }>) {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : null;
    if (name && options[name]?.type === "string" && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/**
 * A string flag read by one of the core's setting readers (settings-text.ts), so that its mistakes
 * read the same sentence as in the set-up forms.
 */
export function readBy<T>(read: (text: string) => { value: T } | { error: string }) {
  return z.string().transform((text, ctx) => {
    const result = read(text);
    if ("error" in result) {
      ctx.addIssue({ code: "custom", message: result.error });
      return z.NEVER;
    }
    return result.value;
  });
}

/** A flag that takes no value (`--explain`): false unless given. */
export const switchFlag = () => z.boolean().default(false);

function isSwitch(schema: z.ZodType): boolean {
  const def = (schema as { def?: { type?: string; innerType?: z.ZodType } }).def;
  return def?.type === "boolean" || (def?.type === "default" && !!def.innerType && isSwitch(def.innerType));
}

function simplify(message: string): string {
  // node's messages run on over several lines of advice that does not apply here: keep one.
  return message
    .split("\n")[0]!
    .split(". To specify")[0]!
    .replace(/^Unknown option '(.+)'$/, "unknown option $1")
    .replace(/^Option '(--[^ ']+)(?: <value>)?' argument (missing|is ambiguous\.?)$/, "$1 needs a value");
}

/** A required string flag. */
export const required = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} must not be empty`);
