import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the SDK serialized it: the operation (from X-Amz-Target) and the JSON body. */
export interface RecordedRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  /** When it arrived (performance.now()), to see the SDK's backoff between retries. */
  readonly receivedAtMs: number;
}

/**
 * An answer: a JSON body, or an error the SDK maps to an exception by its `__type`, with Glue's
 * message when the test needs the real one (throttling answers "Rate exceeded").
 */
export type FakeAnswer = { readonly ok: Record<string, unknown> } | { readonly error: string; readonly message?: string };

/**
 * A loopback HTTP server standing in for Glue's awsJson1_1 endpoint, shared by the provisioner and
 * trigger tests. moto 5.2 has no UpdateJob and drops JobMode, and never refuses a StartJobRun with
 * ConcurrentRunsExceededException or ThrottlingException: those paths are checked here, on the
 * requests the SDK really sends. `answer` decides per request; the default is an empty success.
 */
export class FakeGlue {
  readonly requests: RecordedRequest[] = [];
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    private readonly state: { answer: (req: RecordedRequest) => FakeAnswer },
  ) {}

  static async start(): Promise<FakeGlue> {
    const state = { answer: (_req: RecordedRequest): FakeAnswer => ({ ok: {} }) };
    let fake: FakeGlue | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const recorded: RecordedRequest = {
          operation: target.replace(/^AWSGlue\./, ''),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
          receivedAtMs: performance.now(),
        };
        fake!.requests.push(recorded);
        const answer = state.answer(recorded);
        const isError = 'error' in answer;
        res.writeHead(isError ? 400 : 200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(isError ? { __type: answer.error, message: answer.message ?? `fake glue: ${answer.error}` } : answer.ok));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeGlue(server, `http://127.0.0.1:${port}`, state);
    return fake;
  }

  /** Replaces the answering rule for the requests that follow. */
  answerWith(answer: (req: RecordedRequest) => FakeAnswer): void {
    this.state.answer = answer;
  }

  operations(): string[] {
    return this.requests.map((r) => r.operation);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }
}
