import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  Form,
  useMatches,
  useRouteError,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import styles from "~/styles/app.css";
import { canSeeReports, isAdmin, isTrainer } from "~/accounts/permissions.server";
import { getUser } from "~/accounts/session.server";
import type { RouteHandle } from "~/serving/routes.server";
import { useNonce } from "~/ui/nonce";
import { TEXT_SIZES, textSizeClass, textSizeOf } from "~/reach/text-size";

// The layout's data holds only what the layout shows: the same for every learner with the same roles, so pages
// rendered for one learner can be reused for another (see app/serving/render-cache.server.ts).
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return {
    textSize: textSizeOf(request.headers.get("Cookie")),
    user: user && {
      isAdmin: isAdmin(user),
      isTrainer: isTrainer(user),
      canSeeReports: canSeeReports(user),
      supervision: user.supervisedBy ? { learnerName: user.fullName, trainerName: user.supervisedBy.trainerName } : null,
    },
  };
}

// The layout is the same for everyone with the same roles (above), and for every anonymous visitor.
export const handle: RouteHandle = { renderCache: true, publicCache: true };

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/app/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/app/icon-192.png" },
];

export const meta: MetaFunction = ({ error }) => {
  if (!error) return [{ title: "Học vụ số Tây Ninh" }];
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return [{ title: `${notFound ? "Không tìm thấy trang" : "Có lỗi xảy ra"} — Học vụ số Tây Ninh` }];
};

/**
 * Pages ship no JavaScript unless a route asks for it with `export const handle = { hydrate: true }`.
 * Reading pages stay tiny on slow 3G, and every form works by plain POST and redirect.
 */
function useHydrate(): boolean {
  return useMatches().some((m) => (m.handle as RouteHandle | undefined)?.hydrate);
}

type LayoutUser = NonNullable<ReturnType<typeof useLayoutUser>>;

function useLayoutUser() {
  return useRouteLoaderData<typeof loader>("root")?.user ?? null;
}

/** The links of a signed-in person's account, by role. */
function AccountLinks({ user }: { user: LayoutUser }) {
  return (
    <>
      <Link to="/ca-nhan">Trang của tôi</Link>
      {user.isTrainer ? <Link to="/lop-hoc">Lớp học</Link> : null}
      {!user.isTrainer && !user.canSeeReports ? <Link to="/tham-gia">Tham gia lớp học</Link> : null}
      {user.canSeeReports ? <Link to="/bao-cao">Báo cáo</Link> : null}
      {user.isAdmin ? <Link to="/quan-tri">Quản trị</Link> : null}
    </>
  );
}

function SignOutButton() {
  return (
    <Form method="post" action="/dang-xuat" className="inline-form">
      <button type="submit" className="link-button">
        Đăng xuất
      </button>
    </Form>
  );
}

function AccountNav() {
  const user = useLayoutUser();
  if (!user) {
    return (
      <nav aria-label="Tài khoản" className="account-nav wide-nav">
        <Link to="/dang-nhap">Đăng nhập</Link>
        <Link to="/dang-ky">Đăng ký</Link>
      </nav>
    );
  }
  return (
    <nav aria-label="Tài khoản" className="account-nav wide-nav">
      <AccountLinks user={user} />
      <SignOutButton />
    </nav>
  );
}

/** Normal, large or larger text: a plain form and a cookie, so it works without JavaScript (decision 025). */
function TextSizeForm() {
  const size = useRouteLoaderData<typeof loader>("root")?.textSize ?? "binh-thuong";
  const location = useLocation();
  return (
    <form method="post" action="/co-chu" className="text-size" aria-label="Cỡ chữ">
      <input type="hidden" name="tiep" value={location.pathname + location.search} />
      <span aria-hidden="true">Cỡ chữ:</span>
      {Object.entries(TEXT_SIZES).map(([value, label]) => (
        <button key={value} type="submit" name="co" value={value} className="secondary" aria-pressed={value === size}>
          {label}
        </button>
      ))}
    </form>
  );
}

/**
 * On a phone the header is one row whatever the roles: the brand, the sign-in (or sign-out) control and a
 * "Menu" that opens the other links. A <details> element, so it works without JavaScript.
 */
function PhoneMenu() {
  const user = useLayoutUser();
  return (
    <div className="phone-nav">
      {user ? <SignOutButton /> : <Link to="/dang-nhap">Đăng nhập</Link>}
      <details className="phone-menu">
        <summary>Menu</summary>
        <nav aria-label="Menu">
          <Link to="/khoa-hoc">Khóa học</Link>
          {user ? <AccountLinks user={user} /> : <Link to="/dang-ky">Đăng ký</Link>}
          <Link to="/nang-luc-so">Năng lực số</Link>
          <Link to="/tim-kiem">Tìm kiếm</Link>
        </nav>
      </details>
    </div>
  );
}

function SupervisionBanner() {
  const supervision = useRouteLoaderData<typeof loader>("root")?.user?.supervision;
  if (!supervision) return null;
  return (
    <div className="supervision-banner" role="status">
      <div className="wrap">
        <p>
          <strong>{supervision.learnerName}</strong> đang học trên máy của người hướng dẫn {supervision.trainerName}. Kết quả được ghi cho{" "}
          {supervision.learnerName}.
        </p>
        <Form method="post" action="/dang-xuat">
          <button type="submit" className="secondary">
            Học xong — trả máy cho người hướng dẫn
          </button>
        </Form>
      </div>
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const hydrate = useHydrate();
  const nonce = useNonce();
  const size = useRouteLoaderData<typeof loader>("root")?.textSize ?? "binh-thuong";
  return (
    <html lang="vi" className={textSizeClass(size)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0b5c3b" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#noi-dung">
          Bỏ qua, đến nội dung chính
        </a>
        <header className="site-header">
          <div className="wrap header-row">
            <Link to="/" className="brand">
              <span aria-hidden="true" className="brand-mark">
                HVS
              </span>
              <span>
                Học vụ số<span className="brand-place"> Tây Ninh</span>
              </span>
            </Link>
            <nav aria-label="Điều hướng chính" className="main-nav wide-nav">
              <Link to="/khoa-hoc">Khóa học</Link>
              <Link to="/nang-luc-so">Năng lực số</Link>
              <Link to="/tim-kiem">Tìm kiếm</Link>
            </nav>
            <AccountNav />
            <PhoneMenu />
          </div>
        </header>
        <SupervisionBanner />
        <main id="noi-dung" className="wrap">
          {children}
        </main>
        <footer className="site-footer">
          <div className="wrap">
            <TextSizeForm />
            <p>Học vụ số Tây Ninh — nền tảng học kỹ năng số cho người dân và cán bộ tỉnh Tây Ninh, hưởng ứng phong trào “Bình dân học vụ số”.</p>
            <p>Nội dung khóa học do dự án biên soạn, theo khung năng lực số (Thông tư 02/2025/TT-BGDĐT).</p>
          </div>
        </footer>
        {/* The site's one script, after the text (a module runs once the page is parsed); the page works without it. */}
        <script type="module" src="/app/doc.js" />
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="error-page">
        <h1>Không tìm thấy trang</h1>
        <p>Trang bạn tìm không có hoặc đã được chuyển đi. Bạn có thể kiểm tra lại địa chỉ, hoặc:</p>
        <ul className="link-list">
          <li>
            <Link to="/khoa-hoc">Xem danh sách khóa học</Link>
          </li>
          <li>
            <Link to="/tim-kiem">Tìm bài học</Link>
          </li>
          <li>
            <Link to="/">Về trang chủ</Link>
          </li>
        </ul>
      </section>
    );
  }
  if (isRouteErrorResponse(error) && error.status < 500) {
    // Our own 4xx carry a Vietnamese sentence; Remix's (e.g. a POST to a page without a form) carry English
    // for developers and are marked internal.
    const ours = typeof error.data === "string" && error.data && !(error as { internal?: boolean }).internal;
    return (
      <section className="error-page">
        <h1>Không thực hiện được yêu cầu</h1>
        <p>{ours ? error.data : "Yêu cầu không hợp lệ. Vui lòng quay lại và thử lại."}</p>
        <p>
          <Link to="/">Về trang chủ</Link>
        </p>
      </section>
    );
  }
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <section className="error-page">
      <h1>Xin lỗi, hệ thống đang gặp sự cố</h1>
      <p>Bạn vui lòng thử lại sau ít phút. Những gì bạn đã lưu trước đó vẫn được giữ nguyên.</p>
      <p>
        <Link to="/">Về trang chủ</Link>
      </p>
    </section>
  );
}
