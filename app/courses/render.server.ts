import { Marked, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";
import { readSkipExtension } from "./reading";

// Markdown → safe HTML. Called only while loading content at start-up, never per request.

const CALLOUTS: Record<string, { className: string; label: string }> = {
  TIP: { className: "callout-tip", label: "Mẹo" },
  NOTE: { className: "callout-note", label: "Ghi nhớ" },
  WARNING: { className: "callout-warning", label: "Cẩn thận" },
};

export const CALLOUT_MARKER = /^\s*\[!(TIP|NOTE|WARNING)\][ \t]*\n?/;

const marked = new Marked({ gfm: true, async: false });
marked.use(readSkipExtension); // "::: không đọc" passages (decision 025)
marked.use({
  renderer: {
    blockquote(token: Tokens.Blockquote) {
      const match = CALLOUT_MARKER.exec(token.text);
      if (!match) return false;
      const callout = CALLOUTS[match[1]];
      const inner = this.parser.parse(marked.lexer(token.text.slice(match[0].length)));
      return `<aside class="callout ${callout.className}"><p class="callout-title">${callout.label}</p>${inner}</aside>\n`;
    },
  },
  hooks: {
    // Wide tables scroll sideways on phones; the focusable region lets keyboard users scroll too.
    postprocess: (html: string) => {
      let n = 0;
      return html
        .replace(/<table>/g, () => `<div class="table-scroll" tabindex="0" role="region" aria-label="Bảng ${++n}"><table>`)
        .replace(/<\/table>/g, "</table></div>");
    },
  },
});

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "aside",
    "div",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "title", "loading", "decoding"],
    aside: ["class"],
    div: ["class", "tabindex", "role", "aria-label"],
    p: ["class"],
    th: ["align"],
    td: ["align"],
  },
  allowedClasses: { div: ["table-scroll", "read-skip"], aside: ["callout", "callout-tip", "callout-note", "callout-warning"], p: ["callout-title"] },
  allowedSchemes: ["https", "mailto", "tel"],
  allowProtocolRelative: false,
  transformTags: {
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: "lazy", decoding: "async" } }),
    a: (tagName, attribs) => (attribs.href?.startsWith("https://") ? { tagName, attribs: { ...attribs, rel: "noopener noreferrer" } } : { tagName, attribs }),
  },
};

export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown) as string, SANITIZE);
}

export function renderInline(markdown: string): string {
  return sanitizeHtml(marked.parseInline(markdown) as string, {
    ...SANITIZE,
    allowedTags: ["strong", "em", "code", "del", "a"],
  });
}

/** Plain text of rendered HTML, for search. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}
