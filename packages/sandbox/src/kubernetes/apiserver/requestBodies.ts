/*
 * Request bodies as the apiserver reads them: at most 3 MiB, JSON only (protobuf answers 415),
 * and a decoding failure answers 400 BadRequest.
 */

import http from 'node:http';
import { KubernetesApiError, badRequest } from '../apimachinery/apiErrors';
import { KubeObject } from '../apimachinery/objects';

const MAX_BODY_BYTES = 3 * 1024 * 1024;
export function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new KubernetesApiError(
            413,
            'RequestEntityTooLarge',
            'Request entity too large: limit is 3145728',
          ),
        );
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Bodies of create and update must be JSON. kubectl's typed clients (`kubectl create
 * deployment`) send protobuf, which the sandbox does not decode: answer as the apiserver
 * answers an unknown format instead of failing to parse.
 */
export async function readObjectBody(
  request: http.IncomingMessage,
): Promise<KubeObject> {
  const contentType = (request.headers['content-type'] ?? 'application/json')
    .split(';')[0]
    .trim();
  if (contentType !== 'application/json' && contentType !== '*/*') {
    request.resume();
    throw new KubernetesApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json (the sandbox does not decode ${contentType})`,
      {},
    );
  }
  return parseJson(await readBody(request)) as KubeObject;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(
      `error decoding request body: ${(error as Error).message}`,
    );
  }
}
