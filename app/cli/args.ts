import { parseArgs } from "node:util";
import { z } from "zod";

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {}

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
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError(simplify((e as Error).message));
  }
  const result = z.object(shape).strict().safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const flag = issue.path[0] ? `--${String(issue.path[0])}` : "arguments";
    const given = issue.path[0] !== undefined ? values[String(issue.path[0])] : undefined;
    throw new UsageError(
      given === undefined ? `${flag} is required` : `${flag}: ${issue.message} (got "${String(given)}")`,
    );
  }
  return result.data;
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
    .replace(/^Unknown option '(.+)'$/, "unknown option $1");
}

/** A required string flag. */
export const required = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} must not be empty`);
