import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: a response, a request left hanging (timeout), or a dropped connection. */
export type Reply =
  | { readonly status?: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string | Uint8Array }
  | 'hang'
  | 'reset';

export interface SeenRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** When it arrived (Date.now()), to assert the pace of a client. */
  readonly at: number;
}

/**
 * A real HTTP server on 127.0.0.1 and a free port that replays recorded B3 bodies. Each path
 * has a script of replies consumed in order; the last one repeats. Unscripted paths get 404.
 */
export class ReplayServer {
  readonly requests: SeenRequest[] = [];
  private readonly scripts = new Map<string, Reply[]>();
  private readonly hanging: ServerResponse[] = [];

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<ReplayServer> {
    let self: ReplayServer | undefined;
    const server = createServer((req, res) => self!.answer(req.url ?? '', req.headers, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new ReplayServer(server, `http://127.0.0.1:${port}`);
    return self;
  }

  route(path: string, ...replies: Reply[]): this {
    if (replies.length === 0) throw new Error('replay server: a route needs at least one reply, got 0');
    this.scripts.set(path, [...replies]);
    return this;
  }

  /** Paths requested, in order (to assert retries and fallbacks exactly). */
  paths(): string[] {
    return this.requests.map((r) => r.path);
  }

  reset(): void {
    this.requests.length = 0;
    this.scripts.clear();
  }

  private answer(path: string, headers: IncomingHttpHeaders, res: ServerResponse): void {
    this.requests.push({ path, headers, at: Date.now() });
    const script = this.scripts.get(path);
    if (!script) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`replay server: no route for ${path}`);
      return;
    }
    const reply = script.length > 1 ? script.shift()! : script[0];
    if (reply === 'hang') {
      this.hanging.push(res);
      return;
    }
    if (reply === 'reset') {
      res.socket?.destroy();
      return;
    }
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body ?? '');
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.socket?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }
}

/** A Cloudflare managed-challenge page, as B3's front answers clients it distrusts (HTTP 403). */
export const CLOUDFLARE_CHALLENGE =
  '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>' +
  '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head>' +
  '<body><div id="challenge-running">Checking if the site connection is secure</div></body></html>';
