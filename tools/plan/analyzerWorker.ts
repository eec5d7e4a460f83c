/**
 * The worker thread of an AnalysisStream (analyzer.ts): receives the registrations as JSON text, makes the
 * Analyze calls as they arrive and, on `finish`, the AnalyzeStack call; answers with every diagnostic or
 * the error that stopped it.
 */
import { parentPort, workerData } from "worker_threads";
import { AnalysisCalls, StreamAnswer, StreamRequest } from "./analyzer";

const calls = new AnalysisCalls((workerData as { address: string }).address);
const port = parentPort!;

port.on("message", (request: StreamRequest) => {
    if ("add" in request) {
        calls.add(JSON.parse(request.add));
        return;
    }
    calls.finish().then(
        (diagnostics) => port.postMessage({ diagnostics } satisfies StreamAnswer),
        (e: { message?: string; code?: number; details?: string }) =>
            port.postMessage({ error: { message: String(e?.message ?? e), code: e?.code, details: e?.details } } satisfies StreamAnswer),
    ).finally(() => calls.close());
});
