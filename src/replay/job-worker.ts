// A job's process of `replay --jobs N` (started by src/replay/jobs.ts): takes its request from the parent, replays its
// group of rules and sends the outcome back. It stops as soon as it finds its parent gone, so no job outlives a replay.
import { removeFolder, type JobMessage, type JobStart } from "./jobs.ts";
import { runJob, type JobRequest } from "./index.ts";

const parent = process.ppid;

/** Ends this job when the replay's process is gone (checked between batches and runs: the replay's loops are synchronous). */
function stopWhenOrphaned(): void {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(1);
  }
}

function send(message: JobMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send?.(message, undefined, {}, (error) => (error ? reject(error) : resolve())));
}

process.once("message", ({ request, folder }: JobStart & { request: JobRequest }) => {
  // the spool's files go to the job's folder, which the replay removes however the job ends, and this process too as
  // it exits (its replay may be gone: killed, it removes nothing); a file still held open (Windows) stays for the replay
  process.once("exit", () => removeFolder(folder));
  runJob(request, { tick: stopWhenOrphaned, inputsRead: () => void send({ kind: "read" }), spoolFolder: folder })
    .then(async (outcome) => {
      // the whole process: its start, the repository and the analyses included
      const cpu = process.cpuUsage();
      outcome.cpuMs = (cpu.user + cpu.system) / 1000;
      outcome.peakRssBytes = Math.max(outcome.peakRssBytes, process.resourceUsage().maxRSS * 1024);
      await send({ kind: "outcome", outcome });
      process.disconnect();
    })
    .catch((error: unknown) => {
      process.stderr.write(`replay job ${request.plan.job + 1}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
});
