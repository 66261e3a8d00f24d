// Worker thread body: loads Kusto.Language and its default globals as soon as it starts (while the pool's caller is
// still busy), then analyses the batches the pool sends against the environment it sent before them, in order.
import { parentPort } from "node:worker_threads";
import { analysisResponder, enableThreadCompileCache, warmUpKusto, type WorkerRequest } from "./analysis-jobs.ts";

const port = parentPort;
if (port) {
  enableThreadCompileCache();
  // the first analysis would do this work; doing it now overlaps the cost with the caller's own work
  warmUpKusto();
  const answer = analysisResponder();
  port.on("message", (request: WorkerRequest) => {
    const response = answer(request);
    if (response) port.postMessage(response);
  });
}
