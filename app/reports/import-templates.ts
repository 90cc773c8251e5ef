import type { ImportKind } from "./imports.server";

// Where the import page links its template downloads (route quan-tri.nhap-du-lieu_.mau.$file.tsx). Plain
// module, so the page's browser bundle does not pull in server code.
export const TEMPLATE_FILES: Record<string, ImportKind> = {
  "mau-danh-sach-can-bo.csv": "roster",
  "mau-dan-so-truong-thanh.csv": "population",
};

export const TEMPLATE_PATHS: Record<ImportKind, string> = {
  roster: "/quan-tri/nhap-du-lieu/mau/mau-danh-sach-can-bo.csv",
  population: "/quan-tri/nhap-du-lieu/mau/mau-dan-so-truong-thanh.csv",
};
