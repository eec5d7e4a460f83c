/**
 * Times the policy pack over stacks of 1, 10 and 100 CrrPairs built under the test mocks: every resource
 * policy over every resource, then every stack policy, as the engine calls them (tests/policies/harness.ts).
 * Prints one line per size; scripts/bench.ts runs it.
 */
import { POLICIES } from "../policies/lib";
import { runPolicies } from "../tests/policies/harness";
import { registered, resetRecords, settle, withoutStackCapture } from "../tests/support/mocks";
import { registerPairs } from "../tests/support/pairs";

let stacks = 0;

async function stackOf(pairs: number) {
    resetRecords();
    await withoutStackCapture(async () => {
        registerPairs(pairs, `s${stacks++}-p`); // a prefix per stack: names stay unique in this process
        await settle();
    });
    return [...registered()];
}

async function main() {
    await runPolicies(POLICIES, await stackOf(1)); // warm-up
    for (const pairs of [1, 10, 100]) {
        const stack = await stackOf(pairs);
        const start = process.hrtime.bigint();
        const violations = await runPolicies(POLICIES, stack);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        console.log(`${pairs}\t${stack.length}\t${ms.toFixed(1)}\t${violations.length}`);
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
