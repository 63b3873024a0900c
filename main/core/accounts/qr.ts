// The QR code of an otpauth:// URI as an SVG data: URL — drawn on the server, so the page needs no
// QR library and its CSP (img-src 'self' data:) allows the image.
import QRCode from 'qrcode';

export async function qrSvgDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
