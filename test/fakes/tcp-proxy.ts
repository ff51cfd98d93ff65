import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a real service (Redis, PostgreSQL) that a test can pause: while
 * paused, bytes from clients are held, so the service seems to stop answering without being
 * touched (it is shared); `resume()` lets them through in order.
 */
export class PausableProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private paused = false;
  private readonly held: Array<() => void> = [];
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = net.createServer((client) => this.connect(client));
  }

  /** Starts listening on 127.0.0.1 (port 0); resolves with the port. */
  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** Holds every byte clients send from now on. */
  pause(): void {
    this.paused = true;
  }

  /** Lets the held bytes and everything after through. */
  resume(): void {
    this.paused = false;
    for (const write of this.held.splice(0)) write();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private connect(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    this.sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      const write = () => upstream.write(chunk);
      if (this.paused) this.held.push(write);
      else write();
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }
}
