/**
 * Spanish tax ids with their check characters: a DNI-based NIF (8 digits + letter), an
 * NIE (X/Y/Z + 7 digits + letter) and a company CIF (letter + 7 digits + control).
 * A well-shaped id with the wrong control is a typo, and is refused.
 */
const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
const CIF_CONTROL_LETTERS = "JABCDEFGHI";
/** Organisation types whose CIF control is always a letter, and those where it is always a digit. */
const CIF_LETTER_CONTROL = "KPQRSNW";
const CIF_DIGIT_CONTROL = "ABEH";

function cifControlDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const d = Number(digits[i]);
    // Positions 1, 3, 5, 7 (index even) are doubled and their digits added; 2, 4, 6 are added as they are.
    if (i % 2 === 0) sum += Math.floor((d * 2) / 10) + ((d * 2) % 10);
    else sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidSpanishTaxId(raw: string): boolean {
  const value = raw.trim().toUpperCase().replace(/[\s-]/g, "");
  const dni = /^(\d{8})([A-Z])$/.exec(value);
  if (dni) return DNI_LETTERS[Number(dni[1]) % 23] === dni[2];
  const nie = /^([XYZ])(\d{7})([A-Z])$/.exec(value);
  if (nie) return DNI_LETTERS[Number(`${"XYZ".indexOf(nie[1])}${nie[2]}`) % 23] === nie[3];
  const cif = /^([ABCDEFGHJKNPQRSUVW])(\d{7})([\dA-J])$/.exec(value);
  if (!cif) return false;
  const [, kind, digits, control] = cif;
  const digit = cifControlDigit(digits);
  const asLetter = CIF_CONTROL_LETTERS[digit];
  if (CIF_LETTER_CONTROL.includes(kind)) return control === asLetter;
  if (CIF_DIGIT_CONTROL.includes(kind)) return control === String(digit);
  return control === String(digit) || control === asLetter;
}
