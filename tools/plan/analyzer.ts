/**
 * Runs a policy pack the way the Pulumi engine does: starts it with `@pulumi/pulumi/cmd/run-policy-pack`,
 * reads the port it prints, and calls its `Analyzer` gRPC service (GetAnalyzerInfo, ConfigureStack,
 * Configure, Analyze per resource on inputs, AnalyzeStack on outputs with parents and dependencies).
 * A minimal `Engine` service receives the pack's log messages, as the CLI's would. The Analyze and
 * AnalyzeStack calls are made from a thread of their own (analyzerWorker.ts), with the messages encoded by
 * protobuf.ts; see {@link AnalysisThread}.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { Worker } from "worker_threads";
import * as grpc from "@grpc/grpc-js";
import type { Registration } from "../mocking";
import type { ThreadAnswer, ThreadRequest } from "./analyzerWorker";
import { analyzerClient, AnalyzerInfo, analyzerInfoOf, configureRequests, PolicyPackConfig, StackIdentity, unary } from "./configure";
import { Diagnostic, EnforcementLevel } from "./diagnostics";

const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb");

export type { AnalyzerInfo, Diagnostic, EnforcementLevel, PolicyPackConfig, StackIdentity };
export type { PolicySummary } from "./configure";

/** The resource graph handed to the pack, with the stack's identity. */
export interface StackUnderAnalysis extends StackIdentity {
    readonly resources: readonly Registration[];
}

/** A started policy pack: the process behind it, its analysis thread, and an Analyzer client. */
export class PolicyPackProcess {
    private constructor(
        private readonly child: ChildProcess,
        private readonly thread: AnalysisThread,
        private readonly client: any,
        private readonly engine: grpc.Server,
        private readonly stderr: () => string,
    ) {}

    /**
     * Starts the pack in `packDir` (its working directory, where @pulumi/policy reads package.json) and its
     * analysis thread (see {@link AnalysisThread}). `spawned` resolves once its process runs; `ready` once it
     * listens, or rejects with the pack's own output if it exits first; `abort()` stops it at any point,
     * listening or not. A run opened by {@link PackSession} is configured and analysed by the thread as soon
     * as the pack listens, whatever the caller's thread is doing.
     */
    static start(
        packDir: string,
        log: (line: string) => void = () => undefined,
    ): { ready: Promise<PolicyPackProcess>; spawned: Promise<void>; abort: () => void; thread: AnalysisThread } {
        const engine = new grpc.Server();
        engine.addService(engineGrpc.EngineService, {
            log: (call: any, callback: any) => {
                log(`policy pack: ${call.request.getMessage()}`);
                callback(null, new emptyProto.Empty());
            },
            getRootResource: (_call: any, callback: any) => callback({ code: grpc.status.UNIMPLEMENTED }),
            setRootResource: (_call: any, callback: any) => callback({ code: grpc.status.UNIMPLEMENTED }),
            startDebugging: (_call: any, callback: any) => callback({ code: grpc.status.UNIMPLEMENTED }),
            requirePulumiVersion: (_call: any, callback: any) => callback(null, new emptyProto.Empty()),
        });
        // The analysis thread loads while the engine service binds and the pack starts.
        const analysis = new AnalysisThread();
        let child: ChildProcess | undefined;
        let client: { close(): void } | undefined;
        let aborted = false;
        let onSpawned: () => void = () => undefined;
        const spawned = new Promise<void>((resolve) => (onSpawned = resolve));
        const abort = () => {
            aborted = true;
            client?.close();
            child?.kill();
            void analysis.stop();
            engine.forceShutdown();
        };
        let errors = "";
        const listening = (async () => {
            const enginePort = await new Promise<number>((resolve, reject) =>
                engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
            );
            if (aborted) {
                engine.forceShutdown(); // bound after abort() ran: release it now
                throw new Error("policy pack start aborted");
            }
            const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
            // POLICY_PACK_NODE_ARGS: extra flags for the pack's node, to profile it (Node refuses --cpu-prof in
            // NODE_OPTIONS): `--cpu-prof --require <file with process.on("SIGTERM", () => process.exit())>`, since
            // the pack is stopped by SIGTERM and V8 writes the profile only on a normal exit.
            const nodeArgs = (process.env.POLICY_PACK_NODE_ARGS ?? "").split(/\s+/).filter((a) => a !== "");
            const proc = spawn(process.execPath, [...nodeArgs, runner, `127.0.0.1:${enginePort}`, "."], {
                cwd: packDir,
                stdio: ["ignore", "pipe", "pipe"],
            });
            child = proc;
            onSpawned();
            proc.stderr!.on("data", (d) => (errors += d.toString()));
            const port = await new Promise<number>((resolve, reject) => {
                let out = "";
                proc.stdout!.on("data", (d) => {
                    out += d.toString();
                    const m = /^(\d+)\s*$/m.exec(out);
                    if (m) {
                        resolve(Number(m[1]));
                    }
                });
                proc.on("exit", (code) => reject(new Error(`policy pack ${packDir} exited (${code}) before listening:\n${errors}${out}`)));
                proc.on("error", reject);
            });
            analysis.connect(`127.0.0.1:${port}`);
            return { proc, port };
        })();
        listening.catch((e) => analysis.failed(e));
        const ready = (async () => {
            const { proc, port } = await listening;
            const analyzer = analyzerClient(`127.0.0.1:${port}`);
            client = analyzer;
            return new PolicyPackProcess(proc, analysis, analyzer, engine, () => errors);
        })();
        ready.catch(() => undefined); // the caller awaits it, or aborts
        ready.finally(onSpawned).catch(() => undefined); // never leave `spawned` pending
        return { ready, spawned, abort, thread: analysis };
    }

    async info(): Promise<AnalyzerInfo> {
        return analyzerInfoOf(await unary(this.client, "getAnalyzerInfo", new emptyProto.Empty()));
    }

    /**
     * Sends the stack's identity, then every policy's configuration: the user's level and settings over the
     * schema defaults (the CLI fills the defaults; the SDK does not). Unknown policy names are an error.
     */
    async configure(info: AnalyzerInfo, stack: StackIdentity, config: PolicyPackConfig = {}): Promise<void> {
        const requests = configureRequests(info, stack, config);
        await unary(this.client, "configureStack", requests.configureStack);
        await unary(this.client, "configure", requests.configure);
    }

    /** Analyze for every resource (its inputs), then AnalyzeStack (outputs, parents, dependencies). */
    async analyze(stack: StackUnderAnalysis): Promise<Diagnostic[]> {
        const stream = this.stream();
        stack.resources.forEach((r) => stream.add(r));
        return stream.finish();
    }

    /**
     * Analysis as the engine runs it during an update: `add` each resource as it registers (its
     * `Analyze` call goes out at once, so the pack works while the program still runs), then `finish`
     * sends `AnalyzeStack` over everything added and resolves to every diagnostic, in registration order.
     * The calls are made by the pack's analysis thread (see {@link AnalysisThread}).
     */
    stream(): AnalysisStream {
        return this.thread.open();
    }

    /** Stops the pack, its analysis thread and the engine service. */
    async stop(): Promise<void> {
        this.client.close();
        this.child.kill();
        await this.thread.stop();
        await new Promise<void>((resolve) => this.engine.tryShutdown(() => resolve()));
    }

    /** What the pack wrote to stderr so far. */
    get errorOutput(): string {
        return this.stderr();
    }
}

/**
 * One run's policy analysis, as the engine runs it during an update: opened before the program starts, with
 * the stack's identity and the policy configuration; `add` each resource as it registers; `finish` resolves
 * to the pack's identity and every diagnostic. The analysis thread configures the pack for the run as soon
 * as the pack listens and sends each resource's `Analyze` from then on, whatever the program's thread is
 * doing. Errors (the pack failing to start, a bad policy config) surface from `finish`.
 */
export class PackSession {
    private readonly stream: AnalysisStream;
    private readonly started: ReturnType<typeof PolicyPackProcess.start>;

    constructor(started: ReturnType<typeof PolicyPackProcess.start>, stack: StackIdentity, config: PolicyPackConfig = {}) {
        this.started = started;
        // The thread holds what is added until the pack listens and is configured for this run.
        this.stream = started.thread.open({ stack, config });
    }

    /** Resolves once the pack listens and is configured for this run. */
    get ready(): Promise<void> {
        return this.stream.configured.then(() => undefined);
    }

    add(r: Registration): void {
        this.stream.add(r);
    }

    async finish(): Promise<{ info: AnalyzerInfo; diagnostics: Diagnostic[] }> {
        // The pack's own failure to start says more than the run's.
        await this.started.ready;
        const info = await this.stream.configured;
        return { info: info!, diagnostics: await this.stream.finish() };
    }

    /** Stops the pack, if it got to start. */
    async stop(): Promise<void> {
        const pack = await this.started.ready.catch(() => undefined);
        if (pack) {
            await pack.stop();
        } else {
            this.started.abort();
        }
    }
}

/**
 * The thread that makes every call of a pack's runs (analyzerWorker.ts): started with the pack's process
 * and told its address once the pack prints its port; each {@link AnalysisStream} is one run's calls.
 *
 * Not the thread that runs the program: a program under the mocks keeps its thread busy for seconds at a
 * time (each turn of the event loop answers every pending registration and runs what they resolve), and
 * everything that thread would wait for, the answers to GetAnalyzerInfo and Configure, gRPC's writes and
 * the window updates that let HTTP/2 send more than 64 KiB to the pack, waits for the next turn: the pack
 * was configured only when the program was nearly done, and the `Analyze` calls left in bursts, most of
 * them after the program's last registration. The engine makes them from its own process as resources
 * register; so does this thread, which only waits for messages. Adding a resource costs the program's
 * thread one JSON text of the registration; reading the pack's port, one turn of its event loop.
 */
export class AnalysisThread {
    private readonly worker: Worker;
    private nextStream = 0;
    private readonly waiting = new Map<number, { resolve: (d: Diagnostic[]) => void; reject: (e: Error) => void }>();
    private readonly configuring = new Map<number, { resolve: (info: AnalyzerInfo | undefined) => void; reject: (e: Error) => void }>();
    private failure: Error | undefined;
    private readonly exited: Promise<void>;

    constructor() {
        // The worker runs TypeScript through the same transpile-only hook as the commands and the tests.
        const code = `require(${JSON.stringify(path.join(__dirname, "..", "register.js"))}); require(${JSON.stringify(path.join(__dirname, "analyzerWorker.ts"))});`;
        this.worker = new Worker(code, { eval: true });
        this.worker.unref(); // only a pending answer keeps the process alive for it
        this.exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
        this.worker.on("message", (answer: ThreadAnswer) => {
            if ("configured" in answer) {
                this.configuring.get(answer.stream)?.resolve(answer.configured ?? undefined);
                this.configuring.delete(answer.stream);
            } else {
                const waiting = this.waiting.get(answer.stream);
                this.waiting.delete(answer.stream);
                const configuring = this.configuring.get(answer.stream);
                this.configuring.delete(answer.stream);
                if ("error" in answer) {
                    const error = Object.assign(new Error(answer.error.message), { code: answer.error.code, details: answer.error.details });
                    waiting?.reject(error);
                    configuring?.reject(error);
                } else {
                    waiting?.resolve(answer.diagnostics);
                }
            }
            this.refIfWaiting();
        });
        this.worker.on("error", (e) => this.failed(e));
        this.worker.on("exit", (code) => this.failed(new Error(`the analysis thread exited (${code})`)));
    }

    /** Fails every run waiting, and every later one, with `e` (the pack did not start, or the thread died). */
    failed(e: Error): void {
        this.failure ??= e;
        this.waiting.forEach((w) => w.reject(e));
        this.waiting.clear();
        this.configuring.forEach((w) => w.reject(e));
        this.configuring.clear();
        this.refIfWaiting();
    }

    private refIfWaiting(): void {
        if (this.waiting.size > 0 || this.configuring.size > 0) {
            this.worker.ref();
        } else {
            this.worker.unref();
        }
    }

    private post(request: ThreadRequest): void {
        this.worker.postMessage(request);
    }

    /** Connects the thread's client to the pack's Analyzer service at `address` (host:port). */
    connect(address: string): void {
        this.post({ connect: address });
    }

    /**
     * A run: with `settings`, the thread configures the pack for it first (its `configured` resolves to the
     * pack's identity); without, the caller has configured the pack (its `configured` resolves at once).
     */
    open(settings?: { stack: StackIdentity; config: PolicyPackConfig }): AnalysisStream {
        const id = this.nextStream++;
        let configured: Promise<AnalyzerInfo | undefined> = Promise.resolve(undefined);
        if (settings) {
            configured = this.failure
                ? Promise.reject(this.failure)
                : new Promise<AnalyzerInfo | undefined>((resolve, reject) => this.configuring.set(id, { resolve, reject }));
            configured.catch(() => undefined); // finish() reports it
            this.post({ stream: id, open: settings });
            this.refIfWaiting();
        }
        return new AnalysisStream(this, id, configured);
    }

    add(stream: number, r: Registration): void {
        this.post({ stream, add: JSON.stringify(r) });
    }

    finish(stream: number): Promise<Diagnostic[]> {
        if (this.failure) {
            return Promise.reject(this.failure);
        }
        const answer = new Promise<Diagnostic[]>((resolve, reject) => this.waiting.set(stream, { resolve, reject }));
        this.refIfWaiting();
        this.post({ stream, finish: true });
        return answer;
    }

    /** Stops the thread (its client closes). */
    async stop(): Promise<void> {
        this.post({ stop: true });
        const stopped = await Promise.race([this.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref())]);
        if (!stopped) {
            await this.worker.terminate();
        }
    }
}

/** One run's Analyze and AnalyzeStack calls; see {@link PolicyPackProcess.stream}. */
export class AnalysisStream {
    private finished = false;

    constructor(
        private readonly thread: AnalysisThread,
        private readonly id: number,
        /** Resolves once the pack is configured for this run (to the pack's identity, when the thread configured it). */
        readonly configured: Promise<AnalyzerInfo | undefined>,
    ) {}

    /** Has the analysis thread send `Analyze` for `r` (its inputs) and encode its `AnalyzeStack` entry (its outputs). */
    add(r: Registration): void {
        if (this.finished) {
            throw new Error("AnalysisStream: add() after finish()");
        }
        this.thread.add(this.id, r);
    }

    /** Waits for every `Analyze`, sends `AnalyzeStack`; every diagnostic, resources' first. */
    finish(): Promise<Diagnostic[]> {
        this.finished = true;
        return this.thread.finish(this.id);
    }
}

/** The pack directory of this project. */
export const DEFAULT_POLICY_PACK = path.join(__dirname, "..", "..", "policies");
