import { expect, type Page } from "@playwright/test";

// Layout checks a person on a 360 px phone would notice: targets too small to tap, a page that scrolls sideways,
// text that spills out of its card. They read the rendered page (positions and sizes), not the stylesheet.

export const MIN_TARGET = 44;

type Problem = string;

/** Every visible input, select, textarea, button and link is ≥ 44 px tall, or spaced so a 44 px band around it
 *  touches no other target, or is a link inside a sentence (WCAG 2.5.8's inline exception). Checkboxes and radios
 *  count by their label, which is what a finger presses. */
async function smallTargets(page: Page): Promise<Problem[]> {
  return page.evaluate((min) => {
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && style.visibility !== "hidden" && !el.closest(".skip-link, .visually-hidden, [hidden]");
    };
    const targets: Element[] = [];
    for (const el of Array.from(document.querySelectorAll("a[href], button, input, select, textarea, summary"))) {
      if (el instanceof HTMLInputElement && el.type === "hidden") continue;
      if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")) {
        const label = el.closest("label") ?? (el.id ? document.querySelector(`label[for="${el.id}"]`) : null);
        if (label) {
          targets.push(label);
          continue;
        }
      }
      if (visible(el)) targets.push(el);
    }
    const inSentence = (el: Element) => {
      if (el.tagName !== "A") return false;
      const block = el.parentElement?.closest("p, li, td, th, dd, figcaption, .hint, small");
      if (!block) return false;
      const own = (el.textContent ?? "").trim().length;
      return (block.textContent ?? "").trim().length > own + 8;
    };
    const rects = targets.map((t) => t.getBoundingClientRect());
    const problems: string[] = [];
    targets.forEach((t, i) => {
      const r = rects[i];
      if (r.height >= min - 0.5) return;
      // Form controls have no excuse: they must be 44 px themselves. Links may be smaller if spaced or inline.
      const control = ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(t.tagName);
      if (!control && inSentence(t)) return;
      const centre = r.top + r.height / 2;
      const band = { top: centre - min / 2, bottom: centre + min / 2, left: r.left, right: r.right };
      const crowded = rects.some((o, j) => {
        if (j === i || targets[j].contains(t) || t.contains(targets[j])) return false;
        return o.left < band.right && o.right > band.left && o.top < band.bottom && o.bottom > band.top;
      });
      if (!control && !crowded) return;
      const name = (t.getAttribute("aria-label") ?? t.textContent ?? (t as HTMLInputElement).name ?? "").trim().slice(0, 40);
      problems.push(`${t.tagName.toLowerCase()} "${name}" is ${Math.round(r.height)} px tall${control ? "" : " and crowded"}`);
    });
    return problems;
  }, MIN_TARGET);
}

/** The page itself never scrolls sideways (wide tables scroll inside their own box). */
async function horizontalScroll(page: Page): Promise<Problem[]> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    if (doc.scrollWidth <= doc.clientWidth + 1) return [];
    const wide = Array.from(document.body.querySelectorAll("*"))
      .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1 && !el.closest(".table-scroll"))
      .slice(-3)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return [`page is ${doc.scrollWidth} px wide at ${doc.clientWidth} px (${wide.join(", ")})`];
  });
}

/** No text sticks out of its card or straddles the card's border (e.g. a long question over a fieldset line). */
async function textOutsideCards(page: Page): Promise<Problem[]> {
  return page.evaluate(() => {
    const cards = Array.from(
      document.querySelectorAll(
        ".card, .question, .lesson-body, .indicator-card, .chart, .certificate, .card-print, .stat-grid > li, .notice, .error-box, .callout, .filters",
      ),
    );
    const problems: string[] = [];
    for (const card of cards) {
      const box = card.getBoundingClientRect();
      if (box.width === 0) continue;
      const style = getComputedStyle(card);
      const inner = {
        top: box.top + parseFloat(style.borderTopWidth) - 1,
        left: box.left + parseFloat(style.borderLeftWidth) - 1,
        right: box.right - parseFloat(style.borderRightWidth) + 1,
        bottom: box.bottom - parseFloat(style.borderBottomWidth) + 1,
      };
      const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = (node.textContent ?? "").trim();
        if (!text || node.parentElement?.closest(".table-scroll, .visually-hidden, svg")) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of Array.from(range.getClientRects())) {
          if (r.width === 0) continue;
          if (r.top < inner.top || r.left < inner.left || r.right > inner.right || r.bottom > inner.bottom) {
            problems.push(`"${text.slice(0, 40)}" sticks out of .${card.className.split(" ")[0]}`);
            break;
          }
        }
      }
    }
    return problems;
  });
}

export async function expectPhoneFriendlyLayout(page: Page) {
  const problems = [...(await horizontalScroll(page)), ...(await smallTargets(page)), ...(await textOutsideCards(page))];
  expect(problems, `layout problems on ${page.url()}`).toEqual([]);
}
