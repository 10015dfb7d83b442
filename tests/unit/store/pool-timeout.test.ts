// A PostgreSQL server that accepts connections and then says nothing (a hung host, a half-open
// proxy) must not hold a request: connecting gives up after about 2 s, and ping says not ready.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../../src/store/database.ts";
import { sql } from "kysely";

describe("a database that accepts and never answers", () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let store: Store;
  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    store = await openStore({ kind: "postgres", url: `postgres://postgres@127.0.0.1:${port}/test` });
  });
  afterAll(async () => {
    await store?.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("fails a query within about 2 s instead of waiting for ever", async () => {
    const started = Date.now();
    await expect(sql`select 1`.execute(store.db)).rejects.toThrow(/timeout/i);
    const ms = Date.now() - started;
    expect(ms).toBeGreaterThanOrEqual(1_900);
    expect(ms).toBeLessThan(3_000);
  });

  it("answers not ready within the same bound, several callers at once", async () => {
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 15 }, () => store.ping()));
    expect(answers.every((a) => a === false)).toBe(true);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
