import { useNonce } from "~/ui/nonce";

/**
 * "In" for pages meant for paper. The button exists only when JavaScript runs (an inline script with this
 * request's CSP nonce reveals it); without JavaScript the hint beside it tells people to use the browser's Print.
 */
export function PrintButton({ label, hint }: { label: string; hint: string }) {
  const nonce = useNonce();
  const script = `(function(){var b=document.getElementById("print-button");b.hidden=false;b.addEventListener("click",function(){window.print()});document.getElementById("print-hint").hidden=true})()`;
  return (
    <div className="no-print print-row">
      <button type="button" id="print-button" hidden>
        {label}
      </button>
      <p id="print-hint" className="hint">
        {hint}
      </p>
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: script }} />
    </div>
  );
}

/** A QR code drawn by the server (app/ui/qr.server.ts), announced by what it opens. */
export function QrCode({ svg, label }: { svg: string; label: string }) {
  return <div className="qr" role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: svg }} />;
}
