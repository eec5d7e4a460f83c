/**
 * Registers N CrrPairs (argv[2], default 1) under the test suite's mocks and waits until every
 * registration has finished; prints "<N> pairs, <registrations> registrations, <ms> ms in-process".
 * scripts/bench.ts runs it as a whole process to time a program end to end.
 */
import { registered, settle, withoutStackCapture } from "../tests/support/mocks";
import { registerPairs } from "../tests/support/pairs";
import { plural } from "../tools/text";

async function main(count: number): Promise<void> {
    // As the tests run: Pulumi's stack captures made cheap (see withoutStackCapture in tools/mocking.ts).
    const start = process.hrtime.bigint();
    await withoutStackCapture(async () => {
        registerPairs(count);
        await settle();
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`${plural(count, "pair")}, ${plural(registered().length, "registration")}, ${ms.toFixed(0)} ms in-process`);
}

main(Number(process.argv[2] ?? "1")).catch((e) => {
    console.error(e);
    process.exit(1);
});
