import { describe, expect, it } from 'vitest';
import { channelName, reasonText } from '../../src/dashboard/i18n.js';

describe('dashboard labels of stored codes', () => {
  it.each([
    ['cancelled', 'vi', 'thông báo đã bị hủy'],
    ['unreachable', 'en', 'the person blocked or left the channel'],
    [
      'rate-limited:window-closed',
      'vi',
      'nền tảng yêu cầu gửi chậm lại: đã hết thời gian được phép gửi lại',
    ],
    ['platform-error:613', 'en', 'the platform reported an error: 613'],
    [
      'batch: receiver not subscribed',
      'vi',
      'nền tảng từ chối trong lượt gửi: receiver not subscribed',
    ],
    ['something-new', 'vi', 'something-new'],
  ] as const)('reason %s in %s reads "%s"', (reason, locale, text) => {
    expect(reasonText(locale, reason)).toBe(text);
  });

  it('names platforms, and keeps an unknown one as it is', () => {
    expect(channelName('vi', 'simulator')).toBe('Trình mô phỏng');
    expect(channelName('en', 'zalo')).toBe('Zalo');
    expect(channelName('en', 'toString')).toBe('toString');
  });
});
