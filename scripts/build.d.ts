// Types for scripts/build.js, which is plain JavaScript because it runs before anything is built.

/** A name for this version of the sources: a hash of their contents and of how they are built. */
export function sourceVersion(): string;
/** Where the embedded database's template for the current migrations is kept (built or not). */
export function templateFile(): string;
/** The built command-line entry for the current sources, building it first if there is none. */
export function builtEntry(options?: { quiet?: boolean }): Promise<string>;
