/**
 * The analysis thread of a policy pack (AnalysisThread in analyzer.ts), started with the pack's process.
 * Once told the pack's address it connects to its Analyzer service, and from then on does every call of
 * every run: GetAnalyzerInfo, ConfigureStack and Configure as soon as a run is opened and the pack listens
 * (answering with the pack's identity), Analyze for each registration as it arrives (held until the run is
 * configured), AnalyzeStack on `finish` (answering with every diagnostic, or the error that stopped it).
 *
 * Nothing here waits for the thread that runs the program: that one is busy for seconds at a time under the
 * mocks, and the pack's answers and HTTP/2's window updates would wait for it (see analyzer.ts).
 */
import { parentPort } from "worker_threads";
import * as grpc from "@grpc/grpc-js";
import type { Registration } from "../mocking";
import { collect, Diagnostic } from "./diagnostics";
import { analyzerClient, AnalyzerInfo, analyzerInfoOf, configureRequests, PolicyPackConfig, StackIdentity, unary } from "./configure";
import { AnalyzerMessages } from "./protobuf";

const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb");

/** What the main thread asks: connect to the pack; open, add to or finish a run (a stream); stop. */
export type ThreadRequest =
    | { readonly connect: string }
    | { readonly stream: number; readonly open: { readonly stack: StackIdentity; readonly config: PolicyPackConfig } }
    | { readonly stream: number; readonly add: string }
    | { readonly stream: number; readonly finish: true }
    | { readonly stop: true };
/** What the thread says: a run configured, or a run's answer. */
export type ThreadAnswer =
    | { readonly stream: number; readonly configured: AnalyzerInfo | null }
    | { readonly stream: number; readonly diagnostics: Diagnostic[] }
    | { readonly stream: number; readonly error: { message: string; code?: number; details?: string } };

const port = parentPort!;
const say = (answer: ThreadAnswer) => port.postMessage(answer);

// The pack's address, once the main thread has read its port.
let resolveAddress!: (address: string) => void;
const address = new Promise<string>((resolve) => (resolveAddress = resolve));

const client: Promise<any> = address.then((a) => {
    const c = analyzerClient(a);
    c.waitForReady(Date.now() + 60_000, () => undefined); // connect now, not on the first call
    return c;
});
client.catch(() => undefined);

/** One unary call with a request already encoded. */
function call(c: grpc.Client, method: string, request: Buffer): Promise<any> {
    return new Promise((resolve, reject) =>
        c.makeUnaryRequest(
            `/pulumirpc.Analyzer/${method}`,
            (message: Buffer) => message,
            (bytes: Buffer) => analyzerProto.AnalyzeResponse.deserializeBinary(new Uint8Array(bytes)),
            request,
            (err, value) => (err ? reject(err) : resolve(value)),
        ),
    );
}

/**
 * One run's calls. A run opened with its stack and policy configuration configures the pack first; one
 * opened without (the caller configured the pack itself) starts with its first `Analyze`.
 */
class AnalysisCalls {
    private readonly messages = new AnalyzerMessages();
    private readonly calls: Promise<Diagnostic[]>[] = [];
    private configured: Promise<AnalyzerInfo | undefined> = client.then(() => undefined);

    open(stream: number, stack: StackIdentity, config: PolicyPackConfig): void {
        this.configured = client.then(async (c) => {
            const info = analyzerInfoOf(await unary(c, "getAnalyzerInfo", new emptyProto.Empty()));
            const requests = configureRequests(info, stack, config);
            await unary(c, "configureStack", requests.configureStack);
            await unary(c, "configure", requests.configure);
            say({ stream, configured: info });
            return info;
        });
        // Said at once (the main thread may be waiting for the run to be configured), and again by finish().
        this.configured.catch((e: { message?: string; code?: number; details?: string }) =>
            say({ stream, error: { message: String(e?.message ?? e), code: e?.code, details: e?.details } }),
        );
    }

    add(r: Registration): void {
        // Encoded now, in registration order (the AnalyzeStack request is built as resources arrive).
        const request = this.messages.add(r);
        const analysis = this.configured.then(() => client).then((c) => call(c, "Analyze", request)).then((response) => collect("resource", response, r.urn));
        analysis.catch(() => undefined); // finish() reports it
        this.calls.push(analysis);
    }

    /** Waits for every `Analyze`, sends `AnalyzeStack`; every diagnostic, resources' first. */
    async finish(): Promise<Diagnostic[]> {
        await this.configured;
        const perResource = await Promise.all(this.calls);
        const response = await call(await client, "AnalyzeStack", this.messages.stackRequest());
        return [...perResource.flat(), ...collect("stack", response)];
    }
}

const runs = new Map<number, AnalysisCalls>();
const runOf = (stream: number) => {
    let run = runs.get(stream);
    if (run === undefined) {
        run = new AnalysisCalls();
        runs.set(stream, run);
    }
    return run;
};

port.on("message", (request: ThreadRequest) => {
    if ("connect" in request) {
        resolveAddress(request.connect);
    } else if ("stop" in request) {
        client.then((c) => c.close()).catch(() => undefined);
        port.close();
    } else if ("open" in request) {
        runOf(request.stream).open(request.stream, request.open.stack, request.open.config);
    } else if ("add" in request) {
        runOf(request.stream).add(JSON.parse(request.add));
    } else {
        const { stream } = request;
        runOf(stream)
            .finish()
            .then(
                (diagnostics) => say({ stream, diagnostics }),
                (e: { message?: string; code?: number; details?: string }) => say({ stream, error: { message: String(e?.message ?? e), code: e?.code, details: e?.details } }),
            )
            .finally(() => runs.delete(stream));
    }
});
