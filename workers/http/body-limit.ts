import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './api-error.js';

/** Refuses bodies over `maxSize` bytes, counted as they stream (chunked ones too), with 413 in the error envelope. */
export const limitBody = (maxSize: number) =>
    bodyLimit({
        maxSize,
        onError: (c) => c.json(new ApiError(413, 'payload_too_large', `Request body exceeds ${maxSize} bytes`).toJSON(), 413)
    });
