/** Streams for calling a command's `main` in-process: what it writes is kept for the assertions. */
import { CliStreams } from "../../tools/text";

export interface Captured extends CliStreams {
    /** Everything written to standard output so far. */
    readonly out: string;
    /** Everything written to standard error so far. */
    readonly err: string;
}

export function captured(): Captured {
    let out = "";
    let err = "";
    return {
        stdout: (text) => void (out += text),
        stderr: (text) => void (err += text),
        get out() {
            return out;
        },
        get err() {
            return err;
        },
    };
}
