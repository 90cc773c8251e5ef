import QRCode from "qrcode";

/** A QR code as inline SVG, drawn on the server: no script, prints sharply, about 2–4 KB. */
export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", margin: 1, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } });
}
