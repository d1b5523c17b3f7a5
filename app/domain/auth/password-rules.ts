/** Shared by the reset form (browser) and password hashing (server). */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * Words people build weak passwords on ("password1234", "Contraseña2026!"). Checked after
 * the digits and symbols are taken away, so a word alone with a year or a "!" is refused
 * while a phrase that happens to contain one ("Fresh-Password-2026") is not.
 */
const COMMON_BASES = new Set([
  "",
  "password",
  "passwort",
  "contrasena",
  "clave",
  "qwerty",
  "qwertyuiop",
  "asdfghjkl",
  "letmein",
  "welcome",
  "bienvenido",
  "bienvenida",
  "iloveyou",
  "teamo",
  "admin",
  "administrator",
  "administrador",
  "changeme",
  "secret",
  "secreto",
  "login",
  "usuario",
  "user",
  "test",
  "prueba",
  "monkey",
  "dragon",
  "football",
  "futbol",
  "master",
]);

/** A run of neighbouring letters or digits, up or down: "abcdefghij", "0123456789", "9876543210". */
function isRun(text: string): boolean {
  if (text.length < 6) return false;
  const step = text.charCodeAt(1) - text.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < text.length; i++) if (text.charCodeAt(i) - text.charCodeAt(i - 1) !== step) return false;
  return true;
}

/**
 * Long enough but easy to guess: one character repeated, only digits, a run, or one of the
 * common words with digits and symbols around it — the first things an attacker tries.
 */
export function isGuessablePassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (/^(.)\1*$/su.test(lower) || /^\d+$/.test(lower)) return true;
  const letters = lower
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z]/g, "");
  return COMMON_BASES.has(letters) || isRun(lower.replace(/[^a-z0-9]/g, ""));
}
