import type { CampaignLinkConfig } from '../config.js';
import type { ChannelId } from '../core/events.js';
import { linkRef, type LinkPlatform } from './model.js';

/** A platform's link for a campaign, or why there is none. */
export type PlatformLink =
  | { platform: LinkPlatform; ok: true; url: string; carriesRef: boolean }
  | { platform: LinkPlatform; ok: false; reason: string };

/**
 * The link that opens the bot on a platform for a campaign ref.
 *
 * - Messenger: `https://m.me/<page>?ref=c-<ref>` arrives as a referral (or Get Started) with `ref`.
 *   https://developers.facebook.com/docs/messenger-platform/discovery/m-me-links
 * - Viber: `viber://pa?chatURI=<uri>&context=c-<ref>` arrives as `conversation_started` with
 *   `context`. https://developers.viber.com/docs/tools/deep-links/
 * - Zalo: `https://zalo.me/<oa id>` opens the OA; neither `follow` nor `user_click_chatnow` carries
 *   a reference of ours (only Zalo's own `source`, e.g. `oa_profile`), so the Zalo code is the
 *   same for every campaign and the campaign is known only when the person sends its code.
 */
export function platformLink(
  platform: LinkPlatform,
  ref: string,
  config: CampaignLinkConfig,
  channels: ReadonlySet<ChannelId>,
): PlatformLink {
  const off = (name: string) => ({
    platform,
    ok: false as const,
    reason: `The ${name} channel is off: set its secrets to turn it on.`,
  });
  const unset = (variable: string) => ({
    platform,
    ok: false as const,
    reason: `${variable} is not set: the bot cannot build the ${platform} link without it.`,
  });
  const value = encodeURIComponent(linkRef(ref));
  switch (platform) {
    case 'messenger':
      if (!channels.has('messenger')) return off('Messenger');
      if (!config.messengerPage) return unset('CAMPAIGN_MESSENGER_PAGE');
      return {
        platform,
        ok: true,
        url: `https://m.me/${config.messengerPage}?ref=${value}`,
        carriesRef: true,
      };
    case 'viber':
      if (!channels.has('viber')) return off('Viber');
      if (!config.viberUri) return unset('CAMPAIGN_VIBER_URI');
      return {
        platform,
        ok: true,
        url: `viber://pa?chatURI=${encodeURIComponent(config.viberUri)}&context=${value}`,
        carriesRef: true,
      };
    case 'zalo':
      if (!channels.has('zalo')) return off('Zalo');
      if (!config.zaloOaId) return unset('CAMPAIGN_ZALO_OA_ID');
      return { platform, ok: true, url: `https://zalo.me/${config.zaloOaId}`, carriesRef: false };
  }
}

/** The code a person sends to name the campaign where the platform passes no reference (Zalo). */
export function typedCode(ref: string): string {
  return `#${linkRef(ref)}`;
}
