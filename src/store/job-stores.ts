import { CallLogStore } from "./call-log.ts";
import type { Store } from "./database.ts";
import { JobRunStore } from "./job-runs.ts";
import { OutboxStore } from "./outbox.ts";

/** What the jobs keep in the database besides the core: the outbox, finished runs, the call log. */
export interface JobStores {
  outbox: OutboxStore;
  runs: JobRunStore;
  calls: CallLogStore;
}

/** The job stores on an open store. */
export function createJobStores(store: Store): JobStores {
  return { outbox: new OutboxStore(store), runs: new JobRunStore(store), calls: new CallLogStore(store) };
}
