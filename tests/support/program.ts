/**
 * The stack program (index.ts) run afresh under the suite's mocks with a configuration of this project's
 * keys. A configuration planned once is not planned again in the same run: the registrations are kept (the
 * tests only read them), so specs that compare one stack with several others share its plan.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, registered, Registration, resetRecords, settle, withoutStackCapture } from "./mocks";

const planned = new Map<string, readonly Registration[]>();

/** What index.ts registers with `config` (keys without the project's namespace). */
export async function planProgram(config: Record<string, string>): Promise<Registration[]> {
    const key = JSON.stringify(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
    const known = planned.get(key);
    if (known !== undefined) {
        return [...known];
    }
    resetRecords();
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])), []);
    const entry = require.resolve("../../index");
    delete require.cache[entry];
    await withoutStackCapture(async () => {
        require(entry);
        await settle();
    });
    const registrations = [...registered()];
    planned.set(key, registrations);
    return [...registrations];
}

/** A configuration getter over `values`, as `readSettings` takes one (`config.get`). */
export const getter = (values: Record<string, string>) => (key: string) => values[key];

/** The error `fn` throws; a test fails when it throws none. */
export const errorOf = (fn: () => unknown): Error => {
    try {
        fn();
    } catch (e) {
        return e as Error;
    }
    throw new Error("expected an error, none was thrown");
};
