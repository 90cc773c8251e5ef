import type { LoaderFunctionArgs } from "@remix-run/node";
import { appFile } from "~/reach/files.server";
import { notFound } from "~/ui/http.server";

// Public static files of the site itself (script, service worker, manifest, icons): nothing to authorise.
export function loader({ request, params }: LoaderFunctionArgs) {
  return appFile(params.file ?? "", request.headers.get("If-None-Match")) ?? notFound("Không tìm thấy tệp này.");
}
