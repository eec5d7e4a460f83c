/**
 * The analysis thread of a started pack (AnalysisThread in analyzer.ts): connects to the pack's Analyzer
 * service, receives each run's registrations as JSON text and makes their Analyze calls as they arrive,
 * then, on `finish`, the run's AnalyzeStack call; answers with every diagnostic or the error that stopped it.
 */
import { parentPort } from "worker_threads";
import * as grpc from "@grpc/grpc-js";
import type { Registration } from "../mocking";
import { collect, Diagnostic } from "./diagnostics";
import { AnalyzerMessages } from "./protobuf";

const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");

/** What the main thread asks: connect to the pack, or add to or finish a run (a stream). */
export type ThreadRequest = { readonly connect: string } | { readonly stream: number; readonly add: string } | { readonly stream: number; readonly finish: true };
/** What the thread answers to `finish`: every diagnostic of the run, or the error that stopped it. */
export type ThreadAnswer =
    | { readonly stream: number; readonly diagnostics: Diagnostic[] }
    | { readonly stream: number; readonly error: { message: string; code?: number; details?: string } };

/** One unary call with a request already encoded. */
function call(client: grpc.Client, method: string, request: Buffer): Promise<any> {
    return new Promise((resolve, reject) =>
        client.makeUnaryRequest(
            `/pulumirpc.Analyzer/${method}`,
            (message: Buffer) => message,
            (bytes: Buffer) => analyzerProto.AnalyzeResponse.deserializeBinary(new Uint8Array(bytes)),
            request,
            (err, value) => (err ? reject(err) : resolve(value)),
        ),
    );
}

/** One run's calls: `Analyze` as each resource is added, `AnalyzeStack` over all of them at the end. */
class AnalysisCalls {
    private readonly messages = new AnalyzerMessages();
    private readonly calls: Promise<Diagnostic[]>[] = [];

    constructor(private readonly client: grpc.Client) {}

    add(r: Registration): void {
        const analysis = call(this.client, "Analyze", this.messages.add(r)).then((response) => collect("resource", response, r.urn));
        analysis.catch(() => undefined); // finish() reports it
        this.calls.push(analysis);
    }

    /** Waits for every `Analyze`, sends `AnalyzeStack`; every diagnostic, resources' first. */
    async finish(): Promise<Diagnostic[]> {
        const perResource = await Promise.all(this.calls);
        const response = await call(this.client, "AnalyzeStack", this.messages.stackRequest());
        return [...perResource.flat(), ...collect("stack", response)];
    }
}

const port = parentPort!;
let client: grpc.Client | undefined;
const runs = new Map<number, AnalysisCalls>();
const runOf = (stream: number) => {
    let run = runs.get(stream);
    if (run === undefined) {
        run = new AnalysisCalls(client!);
        runs.set(stream, run);
    }
    return run;
};

port.on("message", (request: ThreadRequest) => {
    if ("connect" in request) {
        client = new analyzerGrpc.AnalyzerClient(request.connect, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 1024 * 1024 * 400,
        }) as grpc.Client;
        client.waitForReady(Date.now() + 60_000, () => undefined); // connect now, not on the first resource
    } else if ("add" in request) {
        runOf(request.stream).add(JSON.parse(request.add));
    } else {
        const { stream } = request;
        runOf(stream)
            .finish()
            .then(
                (diagnostics) => port.postMessage({ stream, diagnostics } satisfies ThreadAnswer),
                (e: { message?: string; code?: number; details?: string }) =>
                    port.postMessage({ stream, error: { message: String(e?.message ?? e), code: e?.code, details: e?.details } } satisfies ThreadAnswer),
            )
            .finally(() => runs.delete(stream));
    }
});
