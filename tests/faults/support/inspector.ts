import WebSocket from "ws";
import type { RapportProcess } from "../../db/support/rapport-processes.ts";
import { waitUntil } from "../../db/support/wait.ts";

// A full garbage collection in a `rapport serve` started with NODE_OPTIONS=--inspect=127.0.0.1:0,
// asked through Node's inspector protocol, so that its memory can be read without the garbage the
// last burst of requests left behind. Nothing in rapport is added for it.

/** The NODE_OPTIONS that let `collectGarbage` reach a process (the inspector on loopback only). */
export const INSPECTABLE = "--inspect=127.0.0.1:0";

/** Runs a full garbage collection in `serve` (started with INSPECTABLE) and waits for it to end. */
export async function collectGarbage(serve: RapportProcess): Promise<void> {
  let url: string | undefined;
  await waitUntil(
    () => (url = /Debugger listening on (ws:\/\/\S+)/.exec(serve.stderr)?.[1]) !== undefined,
    30_000,
    "the inspector's address",
  );
  const socket = new WebSocket(url!);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    // Twice: the first pass can leave what only weak references and finalizers let go of.
    for (const id of [1, 2]) {
      await new Promise<void>((resolve, reject) => {
        const onMessage = (data: WebSocket.RawData) => {
          const answer = JSON.parse(data.toString()) as { id?: number; error?: { message: string } };
          if (answer.id !== id) return;
          socket.off("message", onMessage);
          if (answer.error) reject(new Error(`the inspector refused: ${answer.error.message}`));
          else resolve();
        };
        socket.on("message", onMessage);
        socket.send(JSON.stringify({ id, method: "HeapProfiler.collectGarbage" }));
      });
    }
  } finally {
    socket.close();
  }
}
