/**
 * One policy pack process for the whole end-to-end suite (loaded by .mocharc.e2e.json as a root hook
 * plugin). Starting the pack (a Node process that loads @pulumi/pulumi, @pulumi/policy and the policies)
 * costs more than planning a stack through it, so the in-process plans share one, each configuring it
 * for its own stack and policy config as the engine would (ConfigureStack, Configure) before it streams
 * its resources. The plans that run as processes (`npm run plan` as a user runs it) start their own.
 */
import { DEFAULT_POLICY_PACK, PolicyPackProcess, StartedPack } from "../../tools/plan/analyzer";

let started: StartedPack | undefined;

/** The suite's pack, started on first use; stopped after the last test. */
export function sharedPack(): StartedPack {
    return (started ??= PolicyPackProcess.start(DEFAULT_POLICY_PACK));
}

export const mochaHooks = {
    async afterAll(): Promise<void> {
        const pack = started;
        started = undefined;
        await pack?.abort();
    },
};
