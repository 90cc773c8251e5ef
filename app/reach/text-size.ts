// Text size: normal, large, larger (decision 025). Chosen with a plain form, kept in a cookie per device and
// read by the server, which puts the class on <html>; the stylesheet scales every rem from there.

export const TEXT_SIZES = {
  "binh-thuong": "Chữ vừa",
  lon: "Chữ lớn",
  "rat-lon": "Chữ rất lớn",
} as const;

export type TextSize = keyof typeof TEXT_SIZES;

export const TEXT_SIZE_COOKIE = "hvs_chu";

export function isTextSize(value: unknown): value is TextSize {
  return typeof value === "string" && Object.hasOwn(TEXT_SIZES, value);
}

/** The size a request asks for: its cookie, or normal. */
export function textSizeOf(cookieHeader: string | null): TextSize {
  const value = new RegExp(`(?:^|;\\s*)${TEXT_SIZE_COOKIE}=([a-z-]+)`).exec(cookieHeader ?? "")?.[1];
  return isTextSize(value) ? value : "binh-thuong";
}

/** The class on <html>, or none for normal text. */
export function textSizeClass(size: TextSize): string | undefined {
  return size === "binh-thuong" ? undefined : `chu-${size}`;
}
