/**
 * The workload a plan's cost estimate assumes (`--workload written-gb=…,stored-gb=…,objects=…,requests=…`):
 * what the application does each month. Kept apart from the estimate so that the command line checks it
 * before anything starts.
 */

/** A month of the application's use of the replicated buckets. */
export interface Workload {
    /** GB written each month (each replicated once to every other side). */
    readonly writtenGb: number;
    /** GB the data set holds (each bucket holds all of it: its own writes and the other side's replicas). */
    readonly storedGb: number;
    /** Objects written each month (PUT requests, replication PUTs, CloudTrail data events). */
    readonly objects: number;
    /** Read (GET) requests each month. */
    readonly requests: number;
}

/** Each `--workload` key: the field it sets, what it means, and its default. */
export const WORKLOAD_KEYS = {
    "written-gb": { field: "writtenGb", meaning: "GB written a month", default: 100 },
    "stored-gb": { field: "storedGb", meaning: "GB the data set holds", default: 1000 },
    objects: { field: "objects", meaning: "objects written a month", default: 1_000_000 },
    requests: { field: "requests", meaning: "GET requests a month", default: 10_000_000 },
} as const satisfies Record<string, { field: keyof Workload; meaning: string; default: number }>;

type WorkloadKey = keyof typeof WORKLOAD_KEYS;
const KEYS = Object.keys(WORKLOAD_KEYS) as WorkloadKey[];

export const DEFAULT_WORKLOAD: Workload = Object.fromEntries(KEYS.map((k) => [WORKLOAD_KEYS[k].field, WORKLOAD_KEYS[k].default])) as unknown as Workload;

/** The workload as `--workload` writes it: `written-gb=100,stored-gb=1000,objects=1000000,requests=10000000`. */
export function formatWorkload(w: Workload): string {
    return KEYS.map((k) => `${k}=${w[WORKLOAD_KEYS[k].field]}`).join(",");
}

/** A `--workload` the plan cannot take: the message names the key and what is allowed. */
export class WorkloadError extends Error {
    constructor(message: string) {
        super(`--workload: ${message}`);
        this.name = "WorkloadError";
    }
}

/**
 * Reads `--workload KEY=NUMBER,...` (keys not given keep their defaults). Every problem is reported at once:
 * an unknown key (with the keys allowed), a key given twice, a value that is not a number of zero or more.
 */
export function parseWorkload(text: string | undefined): Workload {
    if (text === undefined) {
        return DEFAULT_WORKLOAD;
    }
    const allowed = `allowed keys: ${KEYS.join(", ")}`;
    const problems: string[] = [];
    const values: Partial<Record<WorkloadKey, number>> = {};
    const seen = new Set<WorkloadKey>();
    const parts = text.split(",").map((p) => p.trim());
    for (const part of parts) {
        const eq = part.indexOf("=");
        if (eq < 0) {
            problems.push(`'${part}' is not KEY=NUMBER (${allowed})`);
            continue;
        }
        const key = part.slice(0, eq).trim();
        const raw = part.slice(eq + 1).trim();
        if (!(KEYS as string[]).includes(key)) {
            problems.push(`unknown key '${key}' (${allowed})`);
            continue;
        }
        const k = key as WorkloadKey;
        if (seen.has(k)) {
            problems.push(`'${k}' is given twice`);
            continue;
        }
        seen.add(k);
        const n = raw === "" ? NaN : Number(raw.replace(/_/g, ""));
        if (!Number.isFinite(n) || n < 0) {
            problems.push(`'${k}' must be a number of zero or more (${WORKLOAD_KEYS[k].meaning}); got '${raw}'`);
            continue;
        }
        values[k] = n;
    }
    if (problems.length > 0) {
        throw new WorkloadError(problems.join("; "));
    }
    return Object.fromEntries(KEYS.map((k) => [WORKLOAD_KEYS[k].field, values[k] ?? WORKLOAD_KEYS[k].default])) as unknown as Workload;
}

/** The `--workload` help: a line per key, with its meaning and default, each starting with `indent`. */
export function workloadHelp(indent = ""): string {
    return KEYS.map((k) => `${indent}${`${k}=N`.padEnd(14)}${WORKLOAD_KEYS[k].meaning} (default ${WORKLOAD_KEYS[k].default})`).join("\n");
}
