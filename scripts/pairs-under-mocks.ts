/**
 * Registers N CrrPairs (argv[2], default 1) under the test suite's mocks and waits until every
 * registration has finished; prints "<N> pairs, <registrations> registrations, <ms> ms in-process".
 * With `--record FILE` (argv[3], argv[4]) it also writes every registration (type, name, URN, parent,
 * provider, inputs) to FILE as JSON, for scripts/registrations-under-mocks.ts to replay.
 * scripts/bench.ts runs it as a whole process to time a program end to end.
 */
import * as fs from "fs";
import { registered, settle, withoutStackCapture } from "../tests/support/mocks";
import { registerPairs } from "../tests/support/pairs";
import { plural } from "../tools/text";

async function main(count: number, record: string | undefined): Promise<void> {
    // As the tests run: Pulumi's stack captures made cheap (see withoutStackCapture in tools/mocking.ts).
    const start = process.hrtime.bigint();
    await withoutStackCapture(async () => {
        registerPairs(count);
        await settle();
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`${plural(count, "pair")}, ${plural(registered().length, "registration")}, ${ms.toFixed(0)} ms in-process`);
    if (record !== undefined) {
        const kept = registered().map(({ type, name, urn, parent, provider, custom, inputs }) => ({ type, name, urn, parent, provider, custom, inputs }));
        fs.writeFileSync(record, JSON.stringify(kept));
    }
}

const [count, flag, file] = process.argv.slice(2);
if (flag !== undefined && (flag !== "--record" || file === undefined)) {
    console.error("usage: pairs-under-mocks.ts [N] [--record FILE]");
    process.exit(2);
}
main(Number(count ?? "1"), file).catch((e) => {
    console.error(e);
    process.exit(1);
});
