import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Runs a function's handler in this process, as Lambda would with the payload Terraform sent. */
export type InProcessHandler = (event: unknown, context: { invokedFunctionArn: string }) => Promise<unknown>;

/** What the proxy saw Terraform invoke: the function and the parsed payload. */
export interface SeenInvocation {
  readonly functionName: string;
  readonly payload: Record<string, unknown>;
}

/**
 * Stands in front of the emulator's Lambda API. moto without Docker does not run function code,
 * so Invoke calls for the functions listed in `handlers` run the real handler here (an error
 * becomes Lambda's X-Amz-Function-Error, which fails the apply as on AWS); every other Lambda
 * call (CreateFunction, GetFunction, ...) is forwarded to moto unchanged.
 */
export class LambdaInvokeProxy {
  readonly seen: SeenInvocation[] = [];
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(upstream: string, account: string, handlers: Readonly<Record<string, InProcessHandler>>): Promise<LambdaInvokeProxy> {
    const target = new URL(upstream);
    let proxy: LambdaInvokeProxy | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
        const name = invoke ? decodeURIComponent(invoke[1]) : undefined;
        const handler = name !== undefined ? handlers[name] : undefined;
        if (req.method === 'POST' && name !== undefined && handler) {
          const payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
          proxy!.seen.push({ functionName: name, payload });
          handler(payload, { invokedFunctionArn: `arn:aws:lambda:us-east-1:${account}:function:${name}` }).then(
            (result) => {
              res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
              res.end(JSON.stringify(result ?? null));
            },
            (err: Error) => {
              res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
              res.end(JSON.stringify({ errorType: err.name, errorMessage: err.message }));
            },
          );
          return;
        }
        const forward = request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        forward.on('error', (err) => {
          res.writeHead(502);
          res.end(`lambda proxy: upstream failed, got ${err.message}`);
        });
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new LambdaInvokeProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return proxy;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }
}
