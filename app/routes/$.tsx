import { notFound } from "~/ui/http.server";

// Any address no other route claims: a Vietnamese 404 page from the root error boundary.
export function loader() {
  notFound();
}

export default function NotFound() {
  return null;
}
