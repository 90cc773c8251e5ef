// Types of what doc.js exports for the unit tests (the script itself is plain JavaScript served as is).
export type Mark = { url: string; key: string; title: string };
type Store = { getItem(key: string): string | null; setItem(key: string, value: string): void };
export function queued(store: Store): Mark[];
export function enqueue(store: Store, mark: Mark): Mark[];
export function flush(store: Store, send: (mark: Mark) => Promise<"sent" | "drop" | "keep">): Promise<Mark[]>;
export function spokenText(block: Element, pronounce: Record<string, string>): string;
export function readingParts(root: ParentNode): { el: Element; text: string }[];
