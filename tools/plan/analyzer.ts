/**
 * Runs a policy pack the way the Pulumi engine does: starts it with `@pulumi/pulumi/cmd/run-policy-pack`,
 * reads the port it prints, and calls its `Analyzer` gRPC service (GetAnalyzerInfo, ConfigureStack,
 * Configure, Analyze per resource on inputs, AnalyzeStack on outputs with parents and dependencies) with
 * the SDK's generated client and messages (messages.ts). A minimal `Engine` service receives the pack's
 * log messages, as the CLI's would. Everything runs on the caller's thread: each `Analyze` call goes out
 * when its resource registers, on the event loop's next turn (the plan's mocks answer registrations on a
 * later turn, as a real monitor's answers arrive over gRPC).
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import type { Registration } from "../mocking";
import { analyzerClient, AnalyzerInfo, analyzerInfoOf, configureRequests, PolicyPackConfig, StackIdentity, unary } from "./configure";
import { collect, Diagnostic, EnforcementLevel } from "./diagnostics";
import { AnalyzerMessages } from "./messages";

const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb");

export type { AnalyzerInfo, Diagnostic, EnforcementLevel, PolicyPackConfig, StackIdentity };
export type { PolicySummary } from "./configure";

/** The resource graph handed to the pack, with the stack's identity. */
export interface StackUnderAnalysis extends StackIdentity {
    readonly resources: readonly Registration[];
}

/** A pack being started: see {@link PolicyPackProcess.start}. */
export interface StartedPack {
    /** Resolves once the pack listens, or rejects with the pack's own output if it exits first. */
    readonly ready: Promise<PolicyPackProcess>;
    /** Resolves once the pack's process runs (or its start failed). */
    readonly spawned: Promise<void>;
    /** Stops the pack at any point, listening or not; resolves once its process has exited. */
    abort(): Promise<void>;
}

/** Resolves once `child` has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve();
    }
    return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** A started policy pack: the process behind it and an Analyzer client. */
export class PolicyPackProcess {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
        private readonly engine: grpc.Server,
        private readonly stderr: () => string,
    ) {}

    /**
     * Starts the pack in `packDir` (its working directory, where @pulumi/policy reads package.json). The
     * pack's log messages go to `log`. `entry` is the program run-policy-pack loads, as the CLI passes it:
     * the pack's directory (its package.json `main`) unless a benchmark names another file.
     */
    static start(packDir: string, log: (line: string) => void = () => undefined, entry = "."): StartedPack {
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
        let child: ChildProcess | undefined;
        let client: { close(): void } | undefined;
        let aborted = false;
        let onSpawned: () => void = () => undefined;
        const spawned = new Promise<void>((resolve) => (onSpawned = resolve));
        const abort = async () => {
            aborted = true;
            client?.close();
            engine.forceShutdown();
            if (child) {
                child.kill();
                await exited(child);
            }
        };
        let errors = "";
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
            const proc = spawn(process.execPath, [...nodeArgs, runner, `127.0.0.1:${enginePort}`, entry], {
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
            const analyzer = analyzerClient(`127.0.0.1:${port}`);
            client = analyzer;
            return new PolicyPackProcess(proc, analyzer, engine, () => errors);
        })();
        ready.catch(() => undefined); // the caller awaits it, or aborts
        ready.finally(onSpawned).catch(() => undefined); // never leave `spawned` pending
        return { ready, spawned, abort };
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
    analyze(stack: StackUnderAnalysis): Promise<Diagnostic[]> {
        const run = new AnalysisRun(Promise.resolve(this));
        stack.resources.forEach((r) => run.add(r));
        return run.finish();
    }

    /** One resource's `Analyze` call. */
    async analyzeResource(request: unknown, urn: string): Promise<Diagnostic[]> {
        return collect("resource", await unary(this.client, "analyze", request), urn);
    }

    /** The `AnalyzeStack` call. */
    async analyzeStack(request: unknown): Promise<Diagnostic[]> {
        return collect("stack", await unary(this.client, "analyzeStack", request));
    }

    /** Stops the pack and the engine service; resolves once the pack's process has exited. */
    async stop(): Promise<void> {
        this.client.close();
        this.child.kill();
        await exited(this.child);
        await new Promise<void>((resolve) => this.engine.tryShutdown(() => resolve()));
    }

    /** The pack's process id. */
    get pid(): number {
        return this.child.pid!;
    }

    /** What the pack wrote to stderr so far. */
    get errorOutput(): string {
        return this.stderr();
    }
}

/**
 * One run's `Analyze` and `AnalyzeStack` calls: `add` sends each resource's `Analyze` as soon as the pack
 * is ready for the run, and keeps its `AnalyzeStack` entry; `finish` waits for every `Analyze`, sends
 * `AnalyzeStack` and resolves to every diagnostic, the resources' first, in registration order.
 */
class AnalysisRun {
    private readonly messages = new AnalyzerMessages();
    private readonly calls: Promise<Diagnostic[]>[] = [];
    private finished = false;

    constructor(private readonly pack: Promise<PolicyPackProcess>) {}

    add(r: Registration): void {
        if (this.finished) {
            throw new Error("policy analysis: add() after finish()");
        }
        const request = this.messages.add(r); // built now: the resource's inputs as it registered
        const call = this.pack.then((pack) => pack.analyzeResource(request, r.urn));
        call.catch(() => undefined); // finish() reports it
        this.calls.push(call);
    }

    async finish(): Promise<Diagnostic[]> {
        this.finished = true;
        const pack = await this.pack;
        const perResource = await Promise.all(this.calls);
        return [...perResource.flat(), ...(await pack.analyzeStack(this.messages.stackRequest()))];
    }
}

/**
 * One run's policy analysis, as the engine runs it during an update: opened before the program starts, with
 * the stack's identity and the policy configuration; `add` each resource as it registers; `finish` resolves
 * to the pack's identity and every diagnostic. The pack is configured for the run as soon as it listens;
 * each resource's `Analyze` goes out from then on. Errors (the pack failing to start, a bad policy config)
 * surface from `finish`.
 */
export class PackSession {
    private readonly configured: Promise<{ pack: PolicyPackProcess; info: AnalyzerInfo }>;
    private readonly run: AnalysisRun;

    constructor(
        private readonly started: StartedPack,
        stack: StackIdentity,
        config: PolicyPackConfig = {},
    ) {
        this.configured = started.ready.then(async (pack) => {
            const info = await pack.info();
            await pack.configure(info, stack, config);
            return { pack, info };
        });
        this.configured.catch(() => undefined); // finish() reports it
        this.run = new AnalysisRun(this.configured.then(({ pack }) => pack));
    }

    /** Resolves once the pack listens and is configured for this run. */
    get ready(): Promise<void> {
        return this.configured.then(() => undefined);
    }

    add(r: Registration): void {
        this.run.add(r);
    }

    async finish(): Promise<{ info: AnalyzerInfo; diagnostics: Diagnostic[] }> {
        // The pack's own failure to start says more than the run's.
        await this.started.ready;
        const { info } = await this.configured;
        return { info, diagnostics: await this.run.finish() };
    }

    /** Stops the pack, whether or not it got to start; resolves once its process has exited. */
    stop(): Promise<void> {
        return this.started.abort();
    }
}

/** The pack directory of this project. */
export const DEFAULT_POLICY_PACK = path.join(__dirname, "..", "..", "policies");
