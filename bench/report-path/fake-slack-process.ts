// The fake Slack Web API in a process of its own (see startFakeSlack in fakes.ts): it says where it
// listens, takes its mode and gives its counts over IPC, and ends when the benchmark disconnects.
import { serveFakeSlack, type SlackMode } from "./fakes.ts";

const fake = await serveFakeSlack();
const send = (message: object) => process.send!(message);
send({ ready: { url: fake.url, origin: fake.origin } });
process.on("message", (m: { mode?: SlackMode; calls?: true }) => {
  if (m.mode) {
    fake.mode = m.mode;
    send({ mode: m.mode });
  }
  if (m.calls) send({ calls: [...fake.calls] });
});
process.on("disconnect", () => void fake.close().finally(() => process.exit(0)));
