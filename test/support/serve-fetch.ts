import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Served {
    url: string;
    close: () => Promise<void>;
}

/** Serves a fetch-style handler over real HTTP on 127.0.0.1, so a browser or `wrangler dev` can reach it. */
export async function serveFetch(handler: (request: Request) => Promise<Response> | Response): Promise<Served> {
    const server = createServer((req, res) => void respond(handler, req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((resolve) => server.close(() => resolve()))
    };
}

async function respond(handler: (request: Request) => Promise<Response> | Response, req: IncomingMessage, res: ServerResponse) {
    try {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = chunks.length ? Buffer.concat(chunks) : null;
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
        const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, ...(body && req.method !== 'GET' && req.method !== 'HEAD' && { body }) });
        const response = await handler(request);
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
        res.writeHead(500).end(String(error));
    }
}
