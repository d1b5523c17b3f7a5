import { data } from "react-router";

/** A form without files is small; anything larger is not one of ours. Uploads have their own limit. */
export const MAX_FORM_BYTES = 256 * 1024;

const DRAIN_BYTES = 8 * 1024 * 1024;

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

export function formTypeOf(request: Request): string {
  return (request.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * The one reader of a posted form for every action: only HTML form bodies (415 for
 * JSON, text, XML …), at most `MAX_FORM_BYTES` (413), and a body that does not parse is
 * a 400 — never an exception that becomes a 500. An empty body reads as an empty form.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = formTypeOf(request);
  if (!request.body) return new FormData();
  if (!FORM_TYPES.includes(type)) throw data({ reason: "unsupported_media_type" }, { status: 415 });
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > DRAIN_BYTES) throw data({ reason: "too_large" }, { status: 413 });
  const bytes = await readLimited(request.body, MAX_FORM_BYTES);
  if (!bytes) throw data({ reason: "too_large" }, { status: 413 });
  try {
    return await new Response(bytes, { headers: { "Content-Type": request.headers.get("Content-Type")! } }).formData();
  } catch {
    throw data({ reason: "bad_request" }, { status: 400 });
  }
}

async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Read on (up to a bound) so the sender gets the 413 page instead of a reset connection.
      while (size < DRAIN_BYTES) {
        const more = await reader.read();
        if (more.done) return null;
        size += more.value.byteLength;
      }
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
