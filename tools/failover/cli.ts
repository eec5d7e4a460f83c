/**
 * npm run failover -- [--stack dev] [--arn ARN] [--to REGION] [--yes] [--verify] [--timeout 15m] [--settle 2m] [--endpoint-timeout 10s]
 *                     [--json FILE|-] [-h|--help]
 * Shows the routes of the stack's Multi-Region Access Point and, with --to, makes that region the active one
 * and every other passive. `main` is exported for the tests (injectable clients, Pulumi CLI and prompt);
 * the command runs only when this file is the process's entry.
 */
import { randomBytes } from "crypto";
import { S3Client } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
// Registers the pure-JavaScript SigV4A signer with the SDK: requests through a Multi-Region Access Point are
// signed for every region at once (https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointRequests.html).
import "@aws-sdk/signature-v4a";
import { Clock, realClock } from "../verify/verifier";
import { formatDuration, parseDuration } from "../verify/stats";
import { renderThroughAccessPoint, ThroughAccessPointResult, verifyThroughAccessPoint } from "./throughAccessPoint";
import { accountOfArn, activeRegions, failoverRoutes, FailoverError, getRoutes, renderRoutes, Route, ROUTE_API_REGIONS, submitRoutes } from "./routes";
import { regionProblem } from "../../components/model/regions";
import { Run } from "../verify/targets";
import { askOnTerminal, CliStreams, readFlags, processStreams, runCommand, runProcess, writeOutput } from "../text";

export const EXIT = { done: 0, notSwitched: 1, couldNotRun: 2 } as const;
/** --verify failed: the same code as a declined switch (something the user asked for did not happen). */
export const EXIT_VERIFY_FAILED = EXIT.notSwitched;

export const USAGE = `usage: npm run failover -- [options]

Shows the routes of the stack's S3 Multi-Region Access Point (option accessPoint) and, with --to, makes
that region the active one and every other region passive. The route APIs are data-plane calls served in
${ROUTE_API_REGIONS.join(", ")}: each is tried in turn until one answers, and one that does not answer within
--endpoint-timeout is left for the next. A deployment never sets the routes back (the stack ignores changes to
them). Uses the standard AWS credential chain. --to is checked before any call: a region code, and one of the
stack's regions when they are read from its outputs.

options:
  --stack NAME    stack whose accessPoint output names the access point, read with pulumi stack output (default: dev)
  --arn ARN       the access point's ARN (arn:aws:s3::<account>:accesspoint/<alias>.mrap), instead of the stack's output
  --to REGION     make REGION active and the others passive; without it the routes are only shown
  --yes           switch without asking for confirmation
  --verify        then put one object through the access point (SigV4A-signed), check that it lands in an active
                  region's bucket and is replicated to every other bucket, and remove it
  --timeout DUR   longest wait for --verify's replicas, such as 90s or 15m (default: 15m)
  --settle DUR    after a switch, how long --verify waits before its put, for the new routes to take effect
                  (AWS: up to two minutes; default: 2m; 0 puts at once)
  --endpoint-timeout DUR
                  longest wait for one route API region's answer before the next is tried (default: 10s)
  --json FILE     write the routes before and after as JSON to FILE; "-" writes it to standard output
  -h, --help      print this help and exit

Traffic moves within about two minutes of a switch. Requests through the access point are SigV4A-signed.

exit codes:
  0  the routes were shown, or switched (or were already as asked), or --help
  1  the switch was not made (declined at the prompt), or --verify failed
  2  the command could not run: a wrong command line, no access point in the stack, an unknown region,
     no credentials, or every route API region failed (or did not answer in time)`;

/** What the command talks to; the tests replace it. */
export interface FailoverDeps {
    readonly s3control: (region: string) => S3ControlClient;
    /** Runs the Pulumi CLI (for the stack's outputs). */
    readonly exec: Run;
    /** Asks a question on the terminal and resolves to the answer. */
    readonly ask: (question: string) => Promise<string>;
    /** S3 in a region, and through the access point (--verify). */
    readonly s3: (region: string) => S3Client;
    readonly accessPointS3: () => S3Client;
    readonly clock: Clock;
    readonly runId?: string;
}

const run: Run = runProcess;

const ask = askOnTerminal;

const awsDeps: FailoverDeps = {
    s3control: (region) => new S3ControlClient({ region }),
    exec: run,
    ask,
    s3: (region) => new S3Client({ region }),
    // The region only seeds the client: a request to an access point ARN is sent to its global endpoint.
    accessPointS3: () => new S3Client({ region: "us-east-1" }),
    clock: realClock,
};

/** The regions of the stack's sides in its outputs (`primary`/`secondary`, or `sides`), when it names them. */
function stackRegions(outputs: { primary?: { region?: unknown }; secondary?: { region?: unknown }; sides?: Record<string, { region?: unknown }> }): string[] | undefined {
    const sides = outputs.sides ? Object.values(outputs.sides) : [outputs.primary, outputs.secondary];
    const regions = sides.map((side) => side?.region);
    return regions.length > 0 && regions.every((r): r is string => typeof r === "string") ? regions : undefined;
}

/** The ARN of the stack's access point, from `pulumi stack output --json` (its `accessPoint.arn`). */
export function stackAccessPointArn(stack: string, exec: Run): string {
    return stackAccessPoint(stack, exec).arn;
}

/** The stack's access point ARN and (when its outputs name them) its sides' regions. */
export function stackAccessPoint(stack: string, exec: Run): { arn: string; regions?: string[] } {
    const r = exec("pulumi", ["stack", "output", "--json", "--stack", stack]);
    if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new FailoverError("the Pulumi CLI is not on PATH, so the stack's outputs cannot be read: pass --arn");
    }
    if (r.status !== 0) {
        throw new FailoverError(`pulumi stack output --stack ${stack} failed: ${r.stderr.trim() || `exit ${r.status}`}`);
    }
    const outputs = JSON.parse(r.stdout) as { accessPoint?: { arn?: string } } & Parameters<typeof stackRegions>[0];
    if (!outputs.accessPoint?.arn) {
        throw new FailoverError(`stack '${stack}' has no access point: set accessPoint to true (pulumi config set accessPoint true) and deploy, or pass --arn`);
    }
    const regions = stackRegions(outputs);
    return { arn: outputs.accessPoint.arn, ...(regions ? { regions } : {}) };
}

/** Runs `npm run failover` with the arguments after `--`; resolves to the exit code. */
export async function main(argv: string[], io: CliStreams = processStreams, deps: FailoverDeps = awsDeps): Promise<number> {
    const read = readFlags(
        "failover",
        USAGE,
        argv,
        {
            stack: { type: "string", default: "dev" },
            arn: { type: "string" },
            to: { type: "string" },
            yes: { type: "boolean", default: false },
            verify: { type: "boolean", default: false },
            timeout: { type: "string", default: "15m" },
            settle: { type: "string", default: "2m" },
            "endpoint-timeout": { type: "string", default: "10s" },
        },
        io,
        { help: EXIT.done, wrong: EXIT.couldNotRun },
    );
    if ("exit" in read) {
        return read.exit;
    }
    const { flags: v, say } = read;
    let timeoutMs: number;
    let endpointTimeoutMs: number;
    let settleMs: number;
    try {
        timeoutMs = parseDuration(v.timeout!, "--timeout");
        settleMs = parseDuration(v.settle!, "--settle");
        endpointTimeoutMs = parseDuration(v["endpoint-timeout"]!, "--endpoint-timeout");
    } catch (e) {
        io.stderr(`error: ${(e as Error).message}\n`);
        return EXIT.couldNotRun;
    }
    // --to is checked before any call: a region code first, then (read from the stack) one of its regions.
    const toProblem = v.to === undefined ? undefined : regionProblem(v.to);
    if (toProblem !== undefined) {
        io.stderr(`error: --to ${toProblem}\n`);
        return EXIT.couldNotRun;
    }
    try {
        const fromStack = v.arn === undefined ? stackAccessPoint(v.stack!, deps.exec) : undefined;
        const arn = v.arn ?? fromStack!.arn;
        accountOfArn(arn);
        if (v.to !== undefined && fromStack?.regions && !fromStack.regions.includes(v.to)) {
            throw new FailoverError(`${v.to} is not a region of stack '${v.stack}'; its regions: ${fromStack.regions.join(", ")}`);
        }
        const before = await getRoutes(deps.s3control, arn, endpointTimeoutMs);
        for (const f of before.failures) {
            io.stderr(`route API in ${f.region} failed (${f.error}); trying the next region\n`);
        }
        say([`Access point ${arn} (routes read in ${before.region}):`, ...renderRoutes(before.result), ""].join("\n"));
        let after: Route[] | undefined;
        let switched = false;
        if (v.to !== undefined) {
            const wanted = failoverRoutes(before.result, v.to);
            if (wanted.every((r, i) => r.trafficDialPercentage === before.result[i].trafficDialPercentage)) {
                say(`${v.to} is already the only active region: nothing to change.\n`);
                after = before.result;
            } else {
                if (!v.yes) {
                    const answer = await deps.ask(`Make ${v.to} active and ${before.result.filter((r) => r.region !== v.to).map((r) => r.region).join(", ")} passive? [y/N] `);
                    if (!/^y(es)?$/i.test(answer.trim())) {
                        say("Not switched.\n");
                        writeJson(v.json, { accessPoint: arn, before: before.result, switched: false }, io);
                        return EXIT.notSwitched;
                    }
                }
                const submitted = await submitRoutes(deps.s3control, arn, wanted, endpointTimeoutMs);
                for (const f of submitted.failures) {
                    io.stderr(`route API in ${f.region} failed (${f.error}); trying the next region\n`);
                }
                switched = true;
                const read = await getRoutes(deps.s3control, arn, endpointTimeoutMs);
                after = read.result;
                say(
                    [`Switched in ${submitted.region}: ${activeRegions(after).join(", ")} active (traffic moves within about two minutes):`, ...renderRoutes(after), ""].join(
                        "\n",
                    ),
                );
            }
        }
        let verified: ThroughAccessPointResult | undefined;
        if (v.verify && switched && settleMs > 0) {
            // "It can take up to 2 minutes for your changes to take effect" (SubmitMultiRegionAccessPointRoutes):
            // a put at once may still land in the region just made passive.
            const until = deps.clock.now() + settleMs;
            say(`--verify: waiting ${formatDuration(settleMs)} for the new routes to take effect (--settle)\n`);
            while (deps.clock.now() < until) {
                await deps.clock.sleep(Math.min(30_000, until - deps.clock.now()));
                if (deps.clock.now() < until) {
                    say(`  ${formatDuration(until - deps.clock.now())} to go\n`);
                }
            }
        }
        if (v.verify) {
            verified = await verifyThroughAccessPoint({
                arn,
                routes: after ?? before.result,
                accessPoint: deps.accessPointS3(),
                s3: deps.s3,
                clock: deps.clock,
                timeoutMs,
                pollIntervalMs: 2000,
                runId: deps.runId ?? `${new Date(deps.clock.now()).toISOString().replace(/[:.]/g, "-")}-${randomBytes(3).toString("hex")}`,
            });
            say([...renderThroughAccessPoint(verified), ""].join("\n"));
        }
        writeJson(v.json, { accessPoint: arn, before: before.result, ...(after ? { after, switched } : {}), ...(verified ? { verify: verified } : {}) }, io);
        return verified && !verified.ok ? EXIT_VERIFY_FAILED : EXIT.done;
    } catch (e) {
        // An AWS error (access denied, no such bucket) is named, not dumped with a stack trace.
        const aws = e instanceof Error && "$metadata" in e;
        io.stderr(
            e instanceof FailoverError || aws
                ? `error: ${aws ? `${(e as Error).name}: ` : ""}${(e as Error).message}\n`
                : `${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
        );
        return EXIT.couldNotRun;
    }
}

function writeJson(target: string | undefined, value: unknown, io: CliStreams) {
    if (target) {
        writeOutput(target, JSON.stringify(value, null, 2) + "\n", io.stdout);
    }
}

if (require.main === module) {
    runCommand(main, EXIT.couldNotRun);
}
