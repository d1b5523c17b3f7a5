/**
 * A file the portal generates (statement, invoice, receipt, letter, timeline) sent as a
 * download: never cached by a shared cache, never content-sniffed, in the reader's language.
 */
export function downloadResponse(body: Uint8Array | string, file: { fileName: string; contentType: string; language: string }): Response {
  return new Response(typeof body === "string" ? body : new Uint8Array(body), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Content-Language": file.language,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
