import type { StdinReaderConfig } from "./config-schema.js";
import { LineDecoder } from "./line-parser.js";
import type { Reader, ReaderStatus } from "./reader.js";
import { type ReaderDeps, ReaderRuntime } from "./reader-status.js";

/** One badge per line on standard input: for the demo, and for testing a terminal by hand. */
export class StdinReader implements Reader {
  readonly #runtime: ReaderRuntime;
  readonly #decoder: LineDecoder;
  readonly #onData = (chunk: Buffer | string) => this.#runtime.handle(this.#decoder.push(chunk));
  readonly #onEnd = () => {
    this.#runtime.handle(this.#decoder.reset());
    this.#detach();
    this.#runtime.end("standard input ended; no more badges will be read");
  };
  readonly #onError = (error: Error) => {
    this.#detach();
    this.#runtime.setState("failed", `standard input failed: ${error.message}`);
  };

  constructor(
    config: StdinReaderConfig,
    deps: ReaderDeps,
    private readonly input: NodeJS.ReadableStream = process.stdin,
  ) {
    this.#decoder = new LineDecoder(config.format);
    this.#runtime = new ReaderRuntime(deps, { type: "stdin" });
  }

  async start(): Promise<void> {
    this.#runtime.setState("starting");
    this.input.on("data", this.#onData);
    this.input.on("end", this.#onEnd);
    this.input.on("error", this.#onError);
    this.input.resume();
    this.#runtime.setState("open");
  }

  async stop(): Promise<void> {
    this.#detach();
    this.#runtime.setState("stopped");
  }

  status(): ReaderStatus {
    return this.#runtime.status();
  }

  #detach(): void {
    this.input.off("data", this.#onData);
    this.input.off("end", this.#onEnd);
    this.input.off("error", this.#onError);
    this.input.pause();
  }
}
