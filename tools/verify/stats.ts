/** Durations and lag statistics for `npm run verify`. */

/** "15m", "90s", "1h", "500ms" or a bare number of seconds → milliseconds. */
export function parseDuration(text: string, what: string): number {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
    if (!m) {
        throw new Error(`${what} must be a duration such as 90s, 15m or 1h; got '${text}'`);
    }
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
    return Math.round(Number(m[1]) * unit);
}

/** "1.2 s", "3 m 05 s". */
export function formatDuration(ms: number): string {
    if (ms < 60_000) {
        return `${(ms / 1000).toFixed(1)} s`;
    }
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    return `${minutes} m ${String(seconds).padStart(2, "0")} s`;
}

export interface LagStats {
    readonly count: number;
    readonly min: number;
    readonly median: number;
    readonly p95: number;
    readonly max: number;
}

/**
 * Nearest-rank percentiles (the value at rank ceil(p/100 * n) of the sorted samples): with few samples the
 * p95 is the maximum, never an interpolation between measured values.
 */
export function percentile(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) {
        throw new Error("percentile of no samples");
    }
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[rank - 1];
}

export function lagStats(samples: readonly number[]): LagStats | undefined {
    if (samples.length === 0) {
        return undefined;
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
    return { count: sorted.length, min: sorted[0], median, p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
}
