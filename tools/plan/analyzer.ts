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
import { Diagnostic, EnforcementLevel, LEVELS } from "./diagnostics";

// The Engine service and Empty are all that starting a pack needs; the Analyzer's messages load on first
// use, so that a caller can start the pack before anything heavy is loaded.
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb");
const lazy = <T>(load: () => T): (() => T) => {
    let value: T | undefined;
    return () => (value ??= load());
};
const analyzerProtoOf = lazy(() => require("@pulumi/pulumi/proto/analyzer_pb"));
const analyzerGrpcOf = lazy(() => require("@pulumi/pulumi/proto/analyzer_grpc_pb"));
const structProtoOf = lazy(() => require("google-protobuf/google/protobuf/struct_pb"));

export type { Diagnostic, EnforcementLevel };
const levelCode = (level: EnforcementLevel): number => LEVELS.indexOf(level);

export interface PolicySummary {
    readonly name: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly configDefaults: Record<string, unknown>;
}

export interface AnalyzerInfo {
    readonly name: string;
    readonly version: string;
    readonly policies: readonly PolicySummary[];
}

/** `--policy-pack-config`: per policy, a level, or an object with `enforcementLevel` and settings. */
export type PolicyPackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** The stack's identity and configuration, as ConfigureStack sends them. */
export interface StackIdentity {
    readonly project: string;
    readonly stack: string;
    readonly config: Record<string, string>;
}

/** The resource graph handed to the pack, with the stack's identity. */
export interface StackUnderAnalysis extends StackIdentity {
    readonly resources: readonly Registration[];
}

/** JSON without `undefined` (protobuf's Struct refuses it). */
function plain(value: unknown): any {
    return JSON.parse(JSON.stringify(value ?? {}));
}

function struct(value: unknown) {
    return structProtoOf().Struct.fromJavaScript(plain(value));
}

function unary<Req, Res>(client: any, method: string, request: Req): Promise<Res> {
    return new Promise((resolve, reject) =>
        client[method](request, (err: grpc.ServiceError | null, response: Res) => (err ? reject(err) : resolve(response))),
    );
}

function analyzerClient(address: string): any {
    return new (analyzerGrpcOf().AnalyzerClient)(address, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 1024 * 1024 * 400,
    });
}

/** A started policy pack: an Analyzer client plus the process behind it. */
export class PolicyPackProcess {
    private constructor(
        private readonly child: ChildProcess,
        private readonly thread: AnalysisThread,
        private readonly client: any,
        private readonly engine: grpc.Server,
        private readonly stderr: () => string,
    ) {}

    /**
     * Starts the pack in `packDir` (its working directory, where @pulumi/policy reads package.json).
     * `ready` resolves once it listens, or rejects with the pack's own output if it exits first;
     * `abort()` stops it at any point, listening or not.
     */
    static start(
        packDir: string,
        log: (line: string) => void = () => undefined,
    ): { ready: Promise<PolicyPackProcess>; spawned: Promise<void>; abort: () => void } {
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
        const thread = new AnalysisThread();
        let child: ChildProcess | undefined;
        let client: { close(): void } | undefined;
        let aborted = false;
        let onSpawned: () => void = () => undefined;
        const spawned = new Promise<void>((resolve) => (onSpawned = resolve));
        const abort = () => {
            aborted = true;
            client?.close();
            child?.kill();
            engine.forceShutdown();
            void thread.terminate();
        };
        const ready = (async () => {
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
            let errors = "";
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
            const address = `127.0.0.1:${port}`;
            thread.connect(address);
            const analyzer = analyzerClient(address);
            client = analyzer;
            return new PolicyPackProcess(proc, thread, analyzer, engine, () => errors);
        })();
        ready.catch(() => void thread.terminate()); // the caller awaits it, or aborts
        ready.finally(onSpawned).catch(() => undefined); // never leave `spawned` pending
        return { ready, spawned, abort };
    }

    async info(): Promise<AnalyzerInfo> {
        const info: any = await unary(this.client, "getAnalyzerInfo", new emptyProto.Empty());
        return {
            name: info.getName(),
            version: info.getVersion(),
            policies: info.getPoliciesList().map((p: any) => {
                const schema = p.getConfigschema()?.getProperties()?.toJavaScript() ?? {};
                const configDefaults = Object.fromEntries(
                    Object.entries(schema as Record<string, { default?: unknown }>)
                        .filter(([, s]) => s && s.default !== undefined)
                        .map(([k, s]) => [k, s.default]),
                );
                return { name: p.getName(), enforcementLevel: LEVELS[p.getEnforcementlevel()], configDefaults };
            }),
        };
    }

    /**
     * Sends the stack's identity, then every policy's configuration: the user's level and settings over the
     * schema defaults (the CLI fills the defaults; the SDK does not). Unknown policy names are an error.
     */
    async configure(info: AnalyzerInfo, stack: StackIdentity, config: PolicyPackConfig = {}): Promise<void> {
        const analyzerProto = analyzerProtoOf();
        const unknown = Object.keys(config).filter((name) => !info.policies.some((p) => p.name === name));
        if (unknown.length > 0) {
            throw new Error(
                `policy pack config names unknown policies: ${unknown.join(", ")}; the pack has ${info.policies.map((p) => p.name).join(", ")}`,
            );
        }
        const stackRequest = new analyzerProto.AnalyzerStackConfigureRequest();
        stackRequest.setStack(stack.stack);
        stackRequest.setProject(stack.project);
        stackRequest.setDryRun(true);
        for (const [k, v] of Object.entries(stack.config)) {
            stackRequest.getConfigMap().set(k, v);
        }
        await unary(this.client, "configureStack", stackRequest);

        const request = new analyzerProto.ConfigureAnalyzerRequest();
        for (const policy of info.policies) {
            const given = config[policy.name];
            const settings = typeof given === "string" ? { enforcementLevel: given } : (given ?? {});
            const { enforcementLevel, ...properties } = settings as { enforcementLevel?: EnforcementLevel };
            const level = enforcementLevel ?? policy.enforcementLevel;
            if (!LEVELS.includes(level)) {
                throw new Error(`policy pack config: '${policy.name}' has enforcement level '${level}'; allowed: ${LEVELS.join(", ")}`);
            }
            const pc = new analyzerProto.PolicyConfig();
            pc.setEnforcementlevel(levelCode(level));
            pc.setProperties(struct({ ...policy.configDefaults, ...properties }));
            request.getPolicyconfigMap().set(policy.name, pc);
        }
        await unary(this.client, "configure", request);
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
        await this.thread.terminate();
        await new Promise<void>((resolve) => this.engine.tryShutdown(() => resolve()));
    }

    /** What the pack wrote to stderr so far. */
    get errorOutput(): string {
        return this.stderr();
    }
}

/**
 * One run's policy analysis against a pack that may still be starting: resources `add`ed before the pack
 * is up and configured wait in a queue, then stream; `finish` is {@link AnalysisStream.finish} plus the
 * pack's identity. Errors (the pack failing to start, a bad policy config) surface from `finish`.
 */
export class PackSession {
    private stream: AnalysisStream | undefined;
    private queue: Registration[] = [];
    private readonly opened: Promise<{ analyzer: PolicyPackProcess; info: AnalyzerInfo }>;

    constructor(ready: Promise<PolicyPackProcess>, stack: StackIdentity, config: PolicyPackConfig = {}) {
        this.opened = (async () => {
            const analyzer = await ready;
            const info = await analyzer.info();
            await analyzer.configure(info, stack, config);
            this.stream = analyzer.stream();
            this.queue.forEach((r) => this.stream!.add(r));
            this.queue = [];
            return { analyzer, info };
        })();
        this.opened.catch(() => undefined); // finish() reports it
    }

    /** Resolves once the pack is up and configured (queued resources then stream). */
    get ready(): Promise<void> {
        return this.opened.then(() => undefined);
    }

    add(r: Registration): void {
        if (this.stream) {
            this.stream.add(r);
        } else {
            this.queue.push(r);
        }
    }

    async finish(): Promise<{ info: AnalyzerInfo; diagnostics: Diagnostic[] }> {
        const { info } = await this.opened;
        return { info, diagnostics: await this.stream!.finish() };
    }

    /** Stops the pack, if it got to start. */
    async stop(): Promise<void> {
        const opened = await this.opened.catch(() => undefined);
        await opened?.analyzer.stop();
    }
}

/**
 * The thread that makes a pack's Analyze and AnalyzeStack calls (analyzerWorker.ts), started with the pack
 * so that it is loaded and connected by the time resources register; each {@link AnalysisStream} is one
 * run's calls through it.
 *
 * Not the thread that runs the program: a program under the mocks keeps its thread busy for seconds at a
 * time (each turn of the event loop answers every pending registration and runs what they resolve), and
 * gRPC's writes, and the window updates that let HTTP/2 send more than 64 KiB to the pack, wait for the next
 * turn: the `Analyze` calls left in bursts, most of them after the program's last registration. The engine
 * makes them from its own process as resources register; so does this thread, which only waits for
 * messages. Adding a resource costs the program's thread one JSON text of the registration.
 */
class AnalysisThread {
    private readonly worker: Worker;
    private nextStream = 0;
    private readonly waiting = new Map<number, { resolve: (d: Diagnostic[]) => void; reject: (e: Error) => void }>();
    private failure: Error | undefined;

    constructor() {
        // The worker runs TypeScript through the same transpile-only hook as the commands and the tests.
        const code = `require(${JSON.stringify(path.join(__dirname, "..", "register.js"))}); require(${JSON.stringify(path.join(__dirname, "analyzerWorker.ts"))});`;
        this.worker = new Worker(code, { eval: true });
        this.worker.unref(); // only a pending finish() keeps the process alive for it
        this.worker.on("message", (answer: ThreadAnswer) => {
            const waiting = this.waiting.get(answer.stream);
            this.waiting.delete(answer.stream);
            if (this.waiting.size === 0) {
                this.worker.unref();
            }
            if ("error" in answer) {
                waiting?.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code, details: answer.error.details }));
            } else {
                waiting?.resolve(answer.diagnostics);
            }
        });
        const fail = (e: Error) => {
            this.failure ??= e;
            this.waiting.forEach((w) => w.reject(e));
            this.waiting.clear();
        };
        this.worker.on("error", fail);
        this.worker.on("exit", (code) => fail(new Error(`the analysis thread exited (${code})`)));
    }

    private post(request: ThreadRequest): void {
        this.worker.postMessage(request);
    }

    /** Connects the thread's client to the pack's Analyzer service at `address` (host:port). */
    connect(address: string): void {
        this.post({ connect: address });
    }

    open(): AnalysisStream {
        return new AnalysisStream(this, this.nextStream++);
    }

    add(stream: number, r: Registration): void {
        this.post({ stream, add: JSON.stringify(r) });
    }

    finish(stream: number): Promise<Diagnostic[]> {
        if (this.failure) {
            return Promise.reject(this.failure);
        }
        const answer = new Promise<Diagnostic[]>((resolve, reject) => this.waiting.set(stream, { resolve, reject }));
        this.worker.ref();
        this.post({ stream, finish: true });
        return answer;
    }

    async terminate(): Promise<void> {
        await this.worker.terminate();
    }
}

/** One run's Analyze and AnalyzeStack calls; see {@link PolicyPackProcess.stream}. */
export class AnalysisStream {
    private finished = false;

    constructor(
        private readonly thread: AnalysisThread,
        private readonly id: number,
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
