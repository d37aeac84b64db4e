/** Format characters: zero-width spaces and joiners, bidi controls, soft hyphen, BOM. */
const FORMAT_CHARACTERS = /\p{Cf}/gu;
/** Every space separator (no-break, ideographic, thin, en/em...) and runs of them. */
const SPACE_SEPARATORS = /\p{Zs}+/gu;

/**
 * A name as people see it: NFC, without invisible format characters, every kind of space folded to
 * one ASCII space, trimmed. Names that look the same compare the same ("Café\u3000Project",
 * "Café Pro\u200Bject" and "Café Project" are one name). Control characters are left for the
 * caller's validation to refuse.
 */
export function foldDisplayText(value: string): string {
  return value
    .normalize('NFC')
    .replace(FORMAT_CHARACTERS, '')
    .replace(SPACE_SEPARATORS, ' ')
    .trim();
}
