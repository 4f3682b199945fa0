/** The flags of a command that talks to a running runtime. */
export interface RuntimeApiFlags {
  api?: string;
  key?: string;
}

/** What every runtime route answers when it refuses: `{ error: { code, message } }`. */
interface RuntimeRefusal {
  error?: { code?: string; message?: string };
}

/**
 * A running runtime's API, as an admin command reaches it: the base URL and key from --api and
 * --key, else FLOWCARD_API_URL and FLOWCARD_API_KEY. Problems are written to stderr in the CLI's
 * `✗ …` form and answered as `undefined`, so a command only has to choose its exit code.
 */
export class RuntimeApiClient {
  private constructor(
    private readonly url: string,
    private readonly key: string,
  ) {}

  /** Answers undefined, after saying what to pass, when the URL or the key is missing. */
  static fromFlags(flags: RuntimeApiFlags): RuntimeApiClient | undefined {
    const url = flags.api ?? process.env.FLOWCARD_API_URL;
    const key = flags.key ?? process.env.FLOWCARD_API_KEY;
    if (!url || !key) {
      process.stderr.write(
        '✗ pass --api <url> and --key <admin api key> (or set FLOWCARD_API_URL and FLOWCARD_API_KEY)\n',
      );
      return undefined;
    }
    return new RuntimeApiClient(url, key);
  }

  /**
   * POSTs `body` as JSON and answers the JSON of a 2xx answer. Otherwise writes
   * `✗ <refused> (HTTP <status> <code>):` and the runtime's message, or that the runtime could not
   * be reached, and answers undefined.
   */
  async post<Answer>(path: string, body: unknown, refused: string): Promise<Answer | undefined> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}` },
        body: JSON.stringify(body),
      });
    } catch (error) {
      process.stderr.write(`✗ could not reach ${this.url}: ${(error as Error).message}\n`);
      return undefined;
    }
    const answer = (await response.json().catch(() => ({}))) as Answer & RuntimeRefusal;
    if (!response.ok) {
      process.stderr.write(
        `✗ ${refused} (HTTP ${response.status} ${answer.error?.code ?? ''}):\n${answer.error?.message ?? ''}\n`,
      );
      return undefined;
    }
    return answer;
  }
}
