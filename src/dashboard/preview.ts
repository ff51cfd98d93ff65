import { renderMessage } from '../channels/messenger/render.js';
import { renderMessages } from '../channels/viber/render.js';
import { renderZalo } from '../channels/zalo/render.js';
import type { OutboundMessage } from '../core/events.js';
import { html, type Safe } from './html.js';
import type { T } from './i18n.js';

/** One platform message as the preview draws it. */
export interface Bubble {
  text: string;
  buttons: string[];
}

/** How a message renders on each platform, computed by each channel's own pure renderer. */
export function renderPreview(
  message: OutboundMessage,
  options: { zaloButtons: boolean; viberName: string },
): Record<'zalo' | 'messenger' | 'viber', Bubble[]> {
  const zalo = renderZalo('preview', message, { buttons: options.zaloButtons }).map((b) => ({
    text: b.message.text,
    buttons: b.message.attachment?.payload.buttons.map((x) => x.title) ?? [],
  }));
  const messenger = renderMessage(message).map((m) =>
    'text' in m
      ? { text: m.text, buttons: m.quick_replies?.map((q) => q.title) ?? [] }
      : {
          text: m.attachment.payload.text,
          buttons: m.attachment.payload.buttons.map((b) => b.title),
        },
  );
  const viber = renderMessages(message, { name: options.viberName }).map((m) => ({
    text: m.text,
    buttons: m.keyboard?.Buttons.map((b) => b.Text.replace(/<[^>]+>/g, '')) ?? [],
  }));
  return { zalo, messenger, viber };
}

/** The preview as HTML: a phone-like column per platform, with characters and message counts. */
export function previewHtml(
  message: OutboundMessage,
  t: T,
  options: { zaloButtons: boolean; viberName: string },
): Safe {
  const all = renderPreview(message, options);
  const names = { zalo: 'Zalo', messenger: 'Messenger', viber: 'Viber' } as const;
  return html`<div class="previews">
    ${(['zalo', 'messenger', 'viber'] as const).map(
      (p) =>
        html`<section class="phone ${p}" data-platform="${p}">
          <h3>
            ${names[p]}
            <small
              >${t('bc.parts', { n: all[p].length })} ·
              ${t('bc.chars', { n: [...message.text].length })}</small
            >
          </h3>
          ${all[p].map(
            (b) =>
              html`<div class="bubble">
                <p>${b.text}</p>
                ${b.buttons.length > 0 ? html`<div class="buttons">${b.buttons.map((x) => html`<span class="btn">${x}</span>`)}</div>` : ''}
              </div>`,
          )}
          ${(message.choices?.length ?? 0) > 0 && all[p].every((b) => b.buttons.length === 0) ? html`<p class="muted">${t('bc.numbered')}</p>` : ''}
        </section>`,
    )}
  </div>`;
}
