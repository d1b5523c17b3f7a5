import { describe, expect, it } from "vitest";
import { isGuessablePassword } from "../../app/domain/auth/password-rules";

describe("a guessable password", () => {
  it("is a common word with digits and symbols around it, one character repeated, only digits, or a run", () => {
    for (const weak of [
      "password1234",
      "Password2026!",
      "Contraseña2026!",
      "qwerty123456",
      "1234567890",
      "aaaaaaaaaaaa",
      "abcdefghijkl",
      "9876543210",
      "!!!!----2026",
    ])
      expect(isGuessablePassword(weak), weak).toBe(true);
  });

  it("is not a phrase that merely contains a common word, or a mixed password of any shape", () => {
    for (const fine of ["Fresh-Password-2026", "Nueva-Clave-2026", "Brand-New-Pass-1", "correct horse battery", "Trevino-Clave-2026", "Rep-Three-2026!"])
      expect(isGuessablePassword(fine), fine).toBe(false);
  });
});
