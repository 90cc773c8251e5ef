import { Outlet } from "@remix-run/react";

export default function App() {
  return (
    <html lang="vi">
      <head>
        <meta charSet="utf-8" />
        <title>trivial</title>
      </head>
      <body>
        <Outlet />
      </body>
    </html>
  );
}
