import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "../../app/utils/authorize.server";

describe("safeRedirectPath", () => {
  it("follows same-site paths", () => {
    for (const path of ["/", "/account", "/invoices?q=INV-1&page=2", "/invoices?q=100%25"]) expect(safeRedirectPath(path, "/home")).toBe(path);
  });

  it("refuses other sites, however they are written", () => {
    for (const path of ["//evil.example", "/\\evil.example", "https://evil.example", "evil", "/%2F/evil.example", "/%5Cevil.example"])
      expect(safeRedirectPath(path, "/home")).toBe("/home");
  });

  it("refuses control characters, raw or percent-encoded (a browser drops tab and newline, making /\\t/x into //x)", () => {
    for (const path of [
      "/%09/evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/account\r\nSet-Cookie: x=1",
      "/%0d%0aLocation:%20//evil",
      "/a%00b",
      "/\u007f",
    ]) {
      expect(safeRedirectPath(path, "/home")).toBe("/home");
    }
  });

  it("refuses what is not a string or does not decode", () => {
    for (const value of [null, undefined, 42, ["/a"], "/%E0%A4%A"]) expect(safeRedirectPath(value, "/home")).toBe("/home");
  });
});
