/**
 * Test support only: turns off the two stack captures @pulumi/pulumi makes for the engine's benefit, for
 * the rest of the test process (tests/support/mocks.ts calls it once; no command loads this module):
 * - every resource records its whole call stack (`Resource.stackTrace`, with `Error.stackTraceLimit`
 *   raised to Infinity) as the source position and trace the engine shows; here it records none;
 * - every promise of the runtime records a debug id, a context and `new Error().stack` for the report of
 *   promises left pending at exit (`debuggablePromise`); here it records none of them, but the tracking of
 *   pending promises and the report itself are unchanged.
 * The mock monitor reads neither, and together they are about 2 s of the unit suite. It reaches into SDK
 * internals, so it fails open: if the pinned SDK's internals are not where it expects them (an upgrade), it
 * warns once and changes nothing, and the suite runs as it would without it, only slower.
 * tests/support/stackCaptures.spec.ts holds it to the behaviour it must keep.
 */
const STACKS_SKIPPED = Symbol.for("s3-crr.tests.stacksSkipped");

/** Whether the captures are off in this process (false when the SDK's internals were not found). */
export function skipPulumiStackCaptures(warn: (message: string) => void = (m) => process.emitWarning(m)): boolean {
    let resource: any;
    let debuggable: any;
    let state: any;
    try {
        resource = require("@pulumi/pulumi/resource");
        debuggable = require("@pulumi/pulumi/runtime/debuggable");
        state = require("@pulumi/pulumi/runtime/state");
    } catch {
        // handled below: the modules moved
    }
    if (debuggable?.[STACKS_SKIPPED]) {
        return true;
    }
    if (typeof resource?.Resource?.stackTrace !== "function" || typeof debuggable?.debuggablePromise !== "function" || typeof state?.getStore !== "function") {
        warn(
            "tests/support/stackCaptures.ts: this @pulumi/pulumi has no Resource.stackTrace, runtime/debuggable's debuggablePromise " +
                "or runtime/state's getStore; Pulumi's stack captures stay on (the tests are slower, not wrong)",
        );
        return false;
    }
    resource.Resource.stackTrace = (): never[] => [];
    const original = debuggable.debuggablePromise;
    let exitReportScheduled = false;
    debuggable.debuggablePromise = <T>(promise: Promise<T>, context: unknown): Promise<T> => {
        if (!exitReportScheduled) {
            // The first call goes through the SDK's own function: it schedules the leak report at exit.
            exitReportScheduled = true;
            return original(promise, context);
        }
        // What the SDK's function does, less the debug id, context and `new Error().stack` it attaches
        // (a leak report under mocks names the pending promises without them).
        const store = state.getStore();
        store.leakCandidates.add(promise);
        return promise.then(
            (value) => {
                store.leakCandidates.delete(promise);
                return value;
            },
            (err) => {
                store.leakCandidates.delete(promise);
                err.promise = promise;
                throw err;
            },
        );
    };
    debuggable[STACKS_SKIPPED] = true;
    return true;
}
