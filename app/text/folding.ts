// Text folding: the one place that decides how Vietnamese text is compared without diacritics, for search,
// names typed by people (communes, roster names, usernames) and duplicate checks. Used by the server and the
// browser alike.

/** Lower-case, NFC-independent, diacritic-free form used for search and matching ("Dịch vụ" → "dich vu"). */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/**
 * Same folding, one output character per input character (NFC input), so a match position in the folded
 * text is also its position in the original: used to cut search snippets out of the original text.
 */
export function foldAligned(text: string): string {
  let out = "";
  for (const ch of text) {
    const base = ch
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d")
      .toLowerCase();
    out += base.length === 1 && /[a-z0-9]/.test(base) ? base : " ".repeat(ch.length);
  }
  return out;
}
