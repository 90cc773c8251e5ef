// @ts-check
// The one script of every page (decision 025). Pages work without it; it only adds what needs a browser:
// the service worker, "Lưu để đọc khi không có mạng", lessons marked done while offline, and "Nghe bài học".
// Plain JavaScript served as is (/app/doc.js), a module so it runs after the page text is parsed.

const QUEUE = "hvs-hang-cho"; // lessons marked done offline, waiting to be sent
const SIGNED_IN = "hvs-da-dang-nhap"; // this device saw a signed-in page last (a hint only, never a credential)
const TITLES = "hvs-khoa-da-luu"; // course slug → title, for the saved-course lists
const COURSE_CACHE = "hvs-khoa:";

// ------------------------------------------------------------------------------------------------------
// The queue of lessons marked done offline. Pure functions of a Storage, so Vitest can run them.

/** @typedef {{ url: string, key: string, title: string }} Mark */
/** @typedef {Pick<Storage, "getItem" | "setItem">} Store */

/** @param {Store} store @returns {Mark[]} */
export function queued(store) {
  try {
    const list = JSON.parse(store.getItem(QUEUE) || "[]");
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

/** A lesson marked twice keeps its first key: the server sees one request per lesson. @param {Store} store @param {Mark} mark */
export function enqueue(store, mark) {
  const list = queued(store);
  if (!list.some((m) => m.url === mark.url)) list.push(mark);
  store.setItem(QUEUE, JSON.stringify(list));
  return list;
}

/**
 * Sends the queue in order. `send` answers "sent", "drop" (refused for good: the mark can never be recorded)
 * or "keep" (offline, signed out, server busy): then the rest waits too, so lessons arrive in their order.
 * @param {Store} store @param {(m: Mark) => Promise<"sent" | "drop" | "keep">} send @returns {Promise<Mark[]>} the marks sent
 */
export async function flush(store, send) {
  const sent = [];
  for (const mark of queued(store)) {
    let outcome;
    try {
      outcome = await send(mark);
    } catch {
      outcome = "keep";
    }
    if (outcome === "keep") break;
    store.setItem(QUEUE, JSON.stringify(queued(store).filter((m) => m.key !== mark.key)));
    if (outcome === "sent") sent.push(mark);
  }
  return sent;
}

/** @param {Mark} mark @returns {Promise<"sent" | "drop" | "keep">} */
async function post(mark) {
  const response = await fetch(mark.url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "complete", idempotency_key: mark.key }),
    credentials: "same-origin",
  });
  if (response.status === 204) return "sent";
  // Signed out (the login page answers 200) or the server busy: keep it for later.
  return [400, 404, 409].includes(response.status) ? "drop" : "keep";
}

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// ------------------------------------------------------------------------------------------------------
// Reading aloud: which text is said, in which order. Pure functions of the DOM, for the tests too.

const BLOCKS = "h1,h2,h3,h4,p,li,th,td";

/**
 * The text to say for one block: its own words (not those of nested blocks), skipped passages left out, and
 * each word with a pronunciation replaced by it (whole words only, as the content checker matches them).
 * @param {Element} block @param {Record<string, string>} pronounce
 */
export function spokenText(block, pronounce) {
  const copy = /** @type {Element} */ (block.cloneNode(true));
  copy.querySelectorAll(`${BLOCKS},ul,ol,.read-skip`).forEach((el) => el.remove());
  let text = (copy.textContent || "").replace(/\s+/g, " ").trim();
  for (const [word, said] of Object.entries(pronounce)) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    text = text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "gu"), () => said);
  }
  return text;
}

/** The title, then each block of the lesson body outside passages marked to skip. @param {ParentNode} root */
export function readingParts(root) {
  const body = root.querySelector(".lesson-body");
  /** @type {Record<string, string>} */
  let pronounce = {};
  try {
    pronounce = JSON.parse(body?.getAttribute("data-pronounce") || "{}");
  } catch {}
  const blocks = [root.querySelector("article h1"), ...(body?.querySelectorAll(BLOCKS) ?? [])];
  return blocks
    .filter((el) => el && !el.closest(".read-skip"))
    .map((el) => ({ el: /** @type {Element} */ (el), text: spokenText(/** @type {Element} */ (el), pronounce) }))
    .filter((part) => part.text);
}

// ------------------------------------------------------------------------------------------------------
// Page wiring

/** @param {string} id */
const byId = (id) => document.getElementById(id);

/** A line in the page's live region. @param {string} text */
function say(text) {
  let box = byId("trang-thai-may");
  if (!box) {
    box = document.createElement("p");
    box.id = "trang-thai-may";
    box.className = "notice";
    box.setAttribute("role", "status");
    document.querySelector("main")?.prepend(box);
  }
  box.textContent = text;
}

function rememberSignIn() {
  if (document.documentElement.hasAttribute("data-offline")) return; // saved copies are anonymous
  if (document.querySelector('form[action="/dang-xuat"]')) localStorage.setItem(SIGNED_IN, "1");
  else if (document.querySelector('a[href="/dang-nhap"]')) localStorage.removeItem(SIGNED_IN);
}

/** Sign-out on a shared phone leaves nothing of this person on it: queued marks and the hint go. */
function clearOnSignOut() {
  document.querySelectorAll('form[action="/dang-xuat"]').forEach((form) =>
    form.addEventListener("submit", () => {
      localStorage.removeItem(QUEUE);
      localStorage.removeItem(SIGNED_IN);
    }),
  );
}

let flushing = false;
async function sendQueued() {
  if (flushing || !navigator.onLine || !queued(localStorage).length) return;
  flushing = true;
  try {
    const sent = await flush(localStorage, post);
    if (sent.length) say(`Đã gửi: ${sent.map((m) => m.title).join("; ")} — đã ghi là học xong.`);
  } finally {
    flushing = false;
  }
}

function showQueued() {
  const list = queued(localStorage);
  if (list.length) say(`Đã lưu trên máy ${list.length} bài đã học xong, sẽ gửi khi có mạng.`);
}

/** "Tôi đã học xong bài này" while offline: queue it instead of a post that cannot go through. */
function markDoneOffline() {
  const title = document.querySelector("article h1")?.textContent || document.title;
  const queue = () => {
    enqueue(localStorage, { url: location.pathname, key: newKey(), title });
    say("Đã lưu, sẽ gửi khi có mạng.");
  };
  const form = document.querySelector('button[name="intent"][value="complete"]')?.closest("form");
  form?.addEventListener("submit", (event) => {
    if (navigator.onLine) return;
    event.preventDefault();
    queue();
  });
  // A saved copy is the page as anyone sees it: offer the button to a device that was signed in.
  const offline = document.documentElement.hasAttribute("data-offline");
  if (offline && !form && localStorage.getItem(SIGNED_IN) && document.querySelector(".lesson-body")) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Tôi đã học xong bài này";
    button.addEventListener("click", () => {
      queue();
      button.disabled = true;
    });
    const box = document.createElement("div");
    box.className = "actions";
    box.append(button);
    document.querySelector(".lesson-body")?.after(box);
  }
  if (offline) {
    const note = document.createElement("p");
    note.className = "notice";
    note.textContent = "Không có mạng: bạn đang đọc bản đã lưu trên máy này.";
    document.querySelector("main")?.prepend(note);
  }
}

// ------------------------------------------------------------------------------------------------------
// Saving a course for offline reading (Cache Storage, one cache per course)

/** @param {HTMLElement} box */
async function saveCourse(box) {
  const slug = box.dataset.saveCourse || "";
  const status = /** @type {HTMLElement} */ (box.querySelector("[role=status]"));
  status.textContent = "Đang lưu…";
  try {
    const name = COURSE_CACHE + slug;
    await caches.delete(name);
    const cache = await caches.open(name);
    const urls = (box.dataset.urls || "").split(" ");
    const assets = new Set([...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.getAttribute("href") || ""));
    // Lessons are fetched without cookies: the saved copy is the page anyone sees, with nothing personal in it.
    for (const url of urls) {
      const response = await fetch(url, { credentials: "omit" });
      if (!response.ok) throw new Error(url);
      const html = await response.clone().text();
      for (const m of html.matchAll(/<img[^>]+src="(\/images\/[^"]+)"/g)) assets.add(m[1]);
      await cache.put(url, response);
    }
    await cache.addAll([...assets].filter(Boolean));
    const titles = JSON.parse(localStorage.getItem(TITLES) || "{}");
    titles[slug] = box.dataset.title;
    localStorage.setItem(TITLES, JSON.stringify(titles));
    status.textContent = `Đã lưu ${urls.length} bài (${kb(await cacheSize(name))}). Bạn đọc được cả khi không có mạng.`;
  } catch {
    status.textContent = "Chưa lưu được, có thể do mạng yếu. Bạn hãy thử lại.";
  }
}

/** @param {number} bytes */
const kb = (bytes) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** @param {string} name */
async function cacheSize(name) {
  const cache = await caches.open(name);
  let total = 0;
  for (const request of await cache.keys()) total += (await (await cache.match(request))?.blob())?.size ?? 0;
  return total;
}

/** The saved-course list on the dashboard and on the offline page. */
async function listSaved() {
  const section = byId("da-luu");
  const list = section?.querySelector("ul");
  if (!section || !list || !window.caches) return;
  const titles = JSON.parse(localStorage.getItem(TITLES) || "{}");
  const names = (await caches.keys()).filter((n) => n.startsWith(COURSE_CACHE));
  list.replaceChildren();
  for (const name of names) {
    const slug = name.slice(COURSE_CACHE.length);
    const lessons = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname).filter((p) => p.startsWith("/khoa-hoc/"));
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = lessons[0] || `/khoa-hoc/${slug}`;
    link.textContent = titles[slug] || slug;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "secondary";
    remove.textContent = "Xóa khỏi máy";
    remove.setAttribute("aria-label", `Xóa ${link.textContent} khỏi máy`);
    remove.addEventListener("click", () => caches.delete(name).then(listSaved));
    item.append(link, ` — ${lessons.length} bài, ${kb(await cacheSize(name))} `, remove);
    list.append(item);
  }
  section.hidden = false;
  const empty = section.querySelector(".muted");
  if (empty instanceof HTMLElement) empty.hidden = names.length > 0;
}

// ------------------------------------------------------------------------------------------------------
// "Nghe bài học"

function setUpReading() {
  const box = byId("nghe");
  const hint = byId("nghe-goi-y");
  const synth = window.speechSynthesis;
  if (!box || !hint) return;
  const voice = () => synth?.getVoices().find((v) => /^vi(?:[-_]|$)/i.test(v.lang));
  const show = () => {
    box.hidden = !voice();
    hint.hidden = !box.hidden;
  };
  if (!synth) return void (hint.hidden = false);
  synth.addEventListener?.("voiceschanged", show);
  // Voices load late in some browsers: say "no Vietnamese voice" only once they have had time to appear.
  if (voice()) show();
  else setTimeout(show, 1500);

  const parts = readingParts(document);
  /** @param {string} act */
  const button = (act) => /** @type {HTMLButtonElement} */ (box.querySelector(`[data-act="${act}"]`));
  const rate = /** @type {HTMLSelectElement} */ (box.querySelector("select"));
  let at = -1;
  let run = 0; // utterances of a stopped or restarted reading end late: they must not move on
  const controls = (/** @type {"reading" | "paused" | "stopped"} */ state) => {
    button("play").hidden = state !== "stopped";
    button("pause").hidden = state !== "reading";
    button("resume").hidden = state !== "paused";
    button("stop").hidden = state === "stopped";
  };
  const mark = (/** @type {number} */ i) => {
    document.querySelectorAll(".reading").forEach((el) => el.classList.remove("reading"));
    if (parts[i]) {
      parts[i].el.classList.add("reading");
      parts[i].el.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  };
  const speak = (/** @type {number} */ i, /** @type {number} */ token) => {
    if (token !== run) return;
    at = i;
    mark(i);
    if (i >= parts.length) return controls("stopped");
    const utterance = new SpeechSynthesisUtterance(parts[i].text);
    utterance.lang = "vi-VN";
    utterance.voice = voice() ?? null;
    utterance.rate = Number(rate.value) || 1;
    utterance.onend = () => speak(i + 1, token);
    synth.speak(utterance);
  };
  const start = (/** @type {number} */ i) => {
    run += 1;
    synth.cancel();
    controls("reading");
    speak(i, run);
  };
  button("play").addEventListener("click", () => start(0));
  button("pause").addEventListener("click", () => {
    synth.pause();
    controls("paused");
  });
  button("resume").addEventListener("click", () => {
    synth.resume();
    controls("reading");
  });
  button("stop").addEventListener("click", () => {
    run += 1;
    synth.cancel();
    mark(-1);
    controls("stopped");
  });
  // A new speed applies at once: the current paragraph starts again at that speed.
  rate.addEventListener("change", () => {
    if (!button("pause").hidden) start(Math.max(at, 0));
  });
}

// ------------------------------------------------------------------------------------------------------

function textSizeFromCookie() {
  // Saved copies were fetched without cookies: apply the size this device chose (decision 025).
  const size = /(?:^|;\s*)hvs_chu=(lon|rat-lon)/.exec(document.cookie)?.[1];
  if (size) document.documentElement.classList.add(`chu-${size}`);
}

function start() {
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/app/sw.js", { scope: "/" }).catch(() => {});
  textSizeFromCookie();
  rememberSignIn();
  clearOnSignOut();
  markDoneOffline();
  showQueued();
  sendQueued();
  addEventListener("online", sendQueued);
  const box = /** @type {HTMLElement | null} */ (document.querySelector("[data-save-course]"));
  if (box && window.caches) {
    box.hidden = false;
    box.querySelector("button")?.addEventListener("click", () => saveCourse(box));
  }
  listSaved();
  setUpReading();
}

if (typeof document !== "undefined") start();
