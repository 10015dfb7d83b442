import {
  RapportFleet,
  scratchDatabase,
  startSlowFakeSlack,
  type ScratchDatabase,
  type SlowFakeSlack,
} from "../../db/support/rapport-processes.ts";
import { startFakeConnector, type FakeConnector } from "../../contract/teams/support/fake-connector.ts";
import { INSPECTABLE } from "./inspector.ts";
import { namedConnections } from "./server-figures.ts";

/**
 * What the load scenarios (the fuzz, the soak) drive `rapport serve` against: a database of their
 * own on the PostgreSQL server, the fake Slack and the fake Teams connector on loopback, and a
 * fleet whose servers name their database connections and can be asked for a full garbage
 * collection (the inspector on loopback), so memory is read without the garbage a burst left.
 * Teams runs in local mode (no MicrosoftAppId, NODE_ENV=test): /api/messages hears loopback callers.
 */
export interface LoadRig {
  db: ScratchDatabase;
  slack: SlowFakeSlack;
  connector: FakeConnector;
  fleet: RapportFleet;
  /** Stops every server and drops the database; safe after a partial start. */
  dispose(): Promise<void>;
}

/** Starts the rig; nothing is seeded and no server runs until the scenario asks. */
export async function startLoadRig(): Promise<LoadRig> {
  const parts: Partial<Omit<LoadRig, "dispose">> = {};
  const dispose = async () => {
    await parts.fleet?.dispose();
    await parts.connector?.close();
    await parts.slack?.close();
    await parts.db?.dispose();
  };
  try {
    parts.db = await scratchDatabase();
    parts.slack = await startSlowFakeSlack();
    parts.connector = await startFakeConnector();
    parts.fleet = await RapportFleet.create(namedConnections(parts.db.url), parts.slack.fake.url, {
      NODE_OPTIONS: INSPECTABLE,
    });
    return { ...(parts as Omit<LoadRig, "dispose">), dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}
