import { describe, expect, it } from 'vitest';
import { matchProvince, PROVINCES } from '../../src/registration/provinces.js';

// Resolution 202/2025/QH15 (in force 12 June 2025): every former unit and the unit it is part of now.
const FORMER_TO_UNIT: Array<[string, string]> = [
  ['Hà Nội', 'ha-noi'],
  ['Thừa Thiên Huế', 'hue'],
  ['Lai Châu', 'lai-chau'],
  ['Điện Biên', 'dien-bien'],
  ['Sơn La', 'son-la'],
  ['Lạng Sơn', 'lang-son'],
  ['Quảng Ninh', 'quang-ninh'],
  ['Thanh Hóa', 'thanh-hoa'],
  ['Nghệ An', 'nghe-an'],
  ['Hà Tĩnh', 'ha-tinh'],
  ['Cao Bằng', 'cao-bang'],
  ['Hà Giang', 'tuyen-quang'],
  ['Tuyên Quang', 'tuyen-quang'],
  ['Yên Bái', 'lao-cai'],
  ['Lào Cai', 'lao-cai'],
  ['Bắc Kạn', 'thai-nguyen'],
  ['Thái Nguyên', 'thai-nguyen'],
  ['Vĩnh Phúc', 'phu-tho'],
  ['Hòa Bình', 'phu-tho'],
  ['Phú Thọ', 'phu-tho'],
  ['Bắc Giang', 'bac-ninh'],
  ['Bắc Ninh', 'bac-ninh'],
  ['Thái Bình', 'hung-yen'],
  ['Hưng Yên', 'hung-yen'],
  ['Hải Dương', 'hai-phong'],
  ['Hải Phòng', 'hai-phong'],
  ['Hà Nam', 'ninh-binh'],
  ['Nam Định', 'ninh-binh'],
  ['Ninh Bình', 'ninh-binh'],
  ['Quảng Bình', 'quang-tri'],
  ['Quảng Trị', 'quang-tri'],
  ['Quảng Nam', 'da-nang'],
  ['Đà Nẵng', 'da-nang'],
  ['Kon Tum', 'quang-ngai'],
  ['Quảng Ngãi', 'quang-ngai'],
  ['Bình Định', 'gia-lai'],
  ['Gia Lai', 'gia-lai'],
  ['Ninh Thuận', 'khanh-hoa'],
  ['Khánh Hòa', 'khanh-hoa'],
  ['Đắk Nông', 'lam-dong'],
  ['Bình Thuận', 'lam-dong'],
  ['Lâm Đồng', 'lam-dong'],
  ['Phú Yên', 'dak-lak'],
  ['Đắk Lắk', 'dak-lak'],
  ['Bà Rịa - Vũng Tàu', 'ho-chi-minh'],
  ['Bình Dương', 'ho-chi-minh'],
  ['Hồ Chí Minh', 'ho-chi-minh'],
  ['Bình Phước', 'dong-nai'],
  ['Đồng Nai', 'dong-nai'],
  ['Long An', 'tay-ninh'],
  ['Tây Ninh', 'tay-ninh'],
  ['Sóc Trăng', 'can-tho'],
  ['Hậu Giang', 'can-tho'],
  ['Cần Thơ', 'can-tho'],
  ['Bến Tre', 'vinh-long'],
  ['Trà Vinh', 'vinh-long'],
  ['Vĩnh Long', 'vinh-long'],
  ['Tiền Giang', 'dong-thap'],
  ['Đồng Tháp', 'dong-thap'],
  ['Bạc Liêu', 'ca-mau'],
  ['Cà Mau', 'ca-mau'],
  ['Kiên Giang', 'an-giang'],
  ['An Giang', 'an-giang'],
];

/** Strips Vietnamese diacritics the way a phone keyboard without them would type. */
const plain = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');

describe('provincial-level units (Resolution 202/2025/QH15)', () => {
  it('has 34 units: 28 provinces and 6 centrally-run cities', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(
      PROVINCES.filter((p) => p.city)
        .map((p) => p.id)
        .sort(),
    ).toEqual(['can-tho', 'da-nang', 'ha-noi', 'hai-phong', 'ho-chi-minh', 'hue']);
    expect(new Set(PROVINCES.map((p) => p.id)).size).toBe(34);
  });

  it('maps the 63 former units, each to exactly one current unit', () => {
    const former = PROVINCES.flatMap((p) => p.formerNames.map((f) => [f, p.id]));
    expect(former).toHaveLength(63);
    expect(new Set(former.map(([f]) => f)).size).toBe(63);
    expect(FORMER_TO_UNIT).toHaveLength(63);
  });

  it.each(FORMER_TO_UNIT)('finds %s (with and without diacritics) in %s', (name, unit) => {
    for (const typed of [
      name,
      plain(name),
      plain(name).toLowerCase(),
      `tỉnh ${name}`,
      name.toUpperCase(),
    ]) {
      const match = matchProvince(typed);
      expect(match.kind, typed).toBe('found');
      if (match.kind === 'found') expect(match.province.id, typed).toBe(unit);
    }
  });

  it('says which former unit was typed when it is not the current name', () => {
    const match = matchProvince('binh duong');
    expect(match).toMatchObject({
      kind: 'found',
      former: 'Bình Dương',
      province: { id: 'ho-chi-minh' },
    });
    expect(matchProvince('Nghệ An')).not.toHaveProperty('former');
  });

  it.each([
    ['TP. Hồ Chí Minh', 'ho-chi-minh'],
    ['tp hcm', 'ho-chi-minh'],
    ['Sài Gòn', 'ho-chi-minh'],
    ['HN', 'ha-noi'],
    ['thanh pho ha noi', 'ha-noi'],
    ['nghe anh', 'nghe-an'],
    ['ha nooi', 'ha-noi'],
    ['quang ngaii', 'quang-ngai'],
    ['Thanh Hoá', 'thanh-hoa'],
    ['hoà bình', 'phu-tho'],
    ['daklak', 'dak-lak'],
    ['vung tau', 'ho-chi-minh'],
    ['xã Nghi Phú, huyện Nghi Lộc, tỉnh Nghệ An', 'nghe-an'],
    ['Hue city', 'hue'],
  ])('understands %j', (typed, unit) => {
    const match = matchProvince(typed);
    expect(match.kind).toBe('found');
    if (match.kind === 'found') expect(match.province.id).toBe(unit);
  });

  it.each(['qwerty', 'ha', 'Paris', '12345', ''])('does not guess for %j', (typed) => {
    expect(matchProvince(typed).kind).toBe('none');
  });
});
