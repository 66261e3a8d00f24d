// Worker thread body: loads Kusto.Language and its default globals as soon as it starts (while the pool's caller is
// still busy), then analyses the batches the pool sends against the environment it sent before them, in order.
import module from "node:module";
import { parentPort } from "node:worker_threads";
import { analysisResponder, warmUpKusto, type WorkerRequest } from "./analysis-jobs.ts";

const port = parentPort;
if (port) {
  // this thread reuses V8's compiled code of the 4 MB bundle from an earlier run (Node 22.1+; a no-op on Node 20): the
  // CLI turns the compile cache on in each thread it owns, the library never does
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  // the first analysis would do this work; doing it now overlaps the cost with the caller's own work
  warmUpKusto();
  const answer = analysisResponder();
  port.on("message", (request: WorkerRequest) => {
    const response = answer(request);
    if (response) port.postMessage(response);
  });
}
