import type { Content } from '../content/load.js';
import type { Locale } from '../core/events.js';
import type { Translate } from '../i18n.js';
import { typedCode, type PlatformLink } from './links.js';
import type { Campaign, FlowTarget, LinkPlatform } from './model.js';
import { escapeXml as esc, qrSvgElement } from './qr.js';

/** How each platform is named on print. */
export const PLATFORM_NAMES: Record<LinkPlatform, string> = {
  zalo: 'Zalo',
  messenger: 'Messenger',
  viber: 'Viber',
};

/** The call to action under a code, from the flow the links open. */
export function callToAction(t: Translate, locale: Locale, target: FlowTarget | undefined): string {
  const key = target ? target.kind.name : 'none';
  const text = t(locale, `campaigns:poster.cta.${key}`);
  // A flow added later without its own text (a quiz...) still gets a sensible line.
  return text.startsWith('poster.') ? t(locale, 'campaigns:poster.cta.none') : text;
}

/** The note under a code: the code to send where the link itself carries no reference. */
export function codeNote(
  t: Translate,
  locale: Locale,
  link: PlatformLink,
  ref: string,
): string | undefined {
  return link.ok && !link.carriesRef
    ? t(locale, 'campaigns:poster.zaloNote', { code: typedCode(ref) })
    : undefined;
}

/** The code to send stays on one line, in bold. */
function keepCode(html: string, code: string): string {
  return html.replace(code, `<strong class="typed">${code}</strong>`);
}

/**
 * A one-page printable poster (A4 portrait) with the Department's name, the Week's name and
 * theme, and one code per platform that is on; a platform that is off gets a short line instead.
 */
export async function posterHtml(input: {
  campaign: Campaign;
  target: FlowTarget | undefined;
  links: PlatformLink[];
  content: Content;
  department: string;
  locale: Locale;
  t: Translate;
}): Promise<string> {
  const { campaign, links, content, locale, t } = input;
  const cta = callToAction(t, locale, input.target);
  const parts = await Promise.all(
    links.map(async (link) => {
      const name = PLATFORM_NAMES[link.platform];
      if (!link.ok)
        return `<div class="code off"><h2>${esc(name)}</h2><p>${esc(t(locale, 'campaigns:poster.unavailable', { platform: name }))}</p></div>`;
      const note = codeNote(t, locale, link, campaign.ref);
      return (
        `<div class="code"><h2>${esc(name)}</h2>${await qrSvgElement(link.url, 480)}` +
        `<p class="cta">${esc(cta)}</p>${note ? `<p class="note">${keepCode(esc(note), esc(typedCode(campaign.ref)))}</p>` : ''}</div>`
      );
    }),
  );
  const cells = parts.join('');
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<title>${esc(content.edition.name[locale])} · ${esc(campaign.name)}</title>
<style>
@page { size: A4 portrait; margin: 12mm; }
* { box-sizing: border-box; }
html, body { margin: 0; }
body { font-family: 'Be Vietnam Pro', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif; color: #0b3d91; }
.page { width: 186mm; min-height: 270mm; margin: 0 auto; padding: 10mm 0 6mm; display: flex; flex-direction: column; justify-content: space-between; text-align: center; }
.department { font-size: 15pt; font-weight: 700; text-transform: uppercase; letter-spacing: .02em; margin: 0; }
h1 { font-size: 30pt; line-height: 1.2; margin: 0 0 4mm; color: #c8102e; }
.theme { font-size: 16pt; font-style: italic; margin: 0 0 6mm; }
.lead { font-size: 15pt; margin: 0 6mm; color: #222; }
.codes { display: flex; justify-content: space-between; gap: 4mm; align-items: stretch; margin: 6mm 0; }
.code { width: 59mm; border: 0.6mm solid #0b3d91; border-radius: 3mm; padding: 4mm 3mm; }
.code h2 { font-size: 18pt; margin: 0 0 2mm; }
.code svg { width: 53mm; height: 53mm; display: block; margin: 0 auto; }
.code .cta { font-size: 13pt; font-weight: 700; margin: 3mm 0 0; }
.code .note { font-size: 11pt; margin: 2mm 0 0; color: #222; }
.typed { white-space: nowrap; }
.code.off { color: #777; border-style: dashed; }
footer { font-size: 9pt; color: #555; margin-top: 8mm; }
</style>
</head>
<body>
<main class="page">
<header>
<p class="department">${esc(input.department)}</p>
</header>
<div>
<h1>${esc(t(locale, 'campaigns:poster.title', { name: content.edition.name[locale] }))}</h1>
<p class="theme">${esc(t(locale, 'campaigns:poster.theme', { theme: content.edition.theme[locale] }))}</p>
</div>
<p class="lead">${esc(t(locale, 'campaigns:poster.lead'))}</p>
<section class="codes">${cells}</section>
<footer>${esc(t(locale, 'campaigns:poster.footer', { ref: campaign.ref, place: campaign.place }))}</footer>
</main>
</body>
</html>
`;
}
