import MiniSearch from 'minisearch';
import { fold } from '../core/text.js';

/** A provincial-level unit in force since 12 June 2025 (Resolution 202/2025/QH15). */
export interface Province {
  /** Stable id (ASCII slug) stored with registrations. */
  id: string;
  /** Official Vietnamese name, without "Tỉnh"/"Thành phố". */
  name: string;
  /** English name. */
  nameEn: string;
  city: boolean;
  /** Former provincial-level units (before 12 June 2025) that now form this one, its own old name included. */
  formerNames: string[];
  /** Other spellings and abbreviations people type. */
  aliases?: string[];
}

/**
 * The 34 provincial-level units (28 provinces, 6 centrally-run cities) of Resolution 202/2025/QH15,
 * each with the former units of the 63 that it absorbed. 11 units were not merged.
 */
export const PROVINCES: readonly Province[] = [
  // Not merged (11).
  {
    id: 'ha-noi',
    name: 'Hà Nội',
    nameEn: 'Hanoi',
    city: true,
    formerNames: ['Hà Nội'],
    aliases: ['hn', 'thủ đô', 'hanoi'],
  },
  {
    id: 'hue',
    name: 'Huế',
    nameEn: 'Hue',
    city: true,
    formerNames: ['Thừa Thiên Huế'],
    aliases: ['tt huế', 'hue city'],
  },
  { id: 'lai-chau', name: 'Lai Châu', nameEn: 'Lai Chau', city: false, formerNames: ['Lai Châu'] },
  {
    id: 'dien-bien',
    name: 'Điện Biên',
    nameEn: 'Dien Bien',
    city: false,
    formerNames: ['Điện Biên'],
  },
  { id: 'son-la', name: 'Sơn La', nameEn: 'Son La', city: false, formerNames: ['Sơn La'] },
  { id: 'lang-son', name: 'Lạng Sơn', nameEn: 'Lang Son', city: false, formerNames: ['Lạng Sơn'] },
  {
    id: 'quang-ninh',
    name: 'Quảng Ninh',
    nameEn: 'Quang Ninh',
    city: false,
    formerNames: ['Quảng Ninh'],
  },
  {
    id: 'thanh-hoa',
    name: 'Thanh Hóa',
    nameEn: 'Thanh Hoa',
    city: false,
    formerNames: ['Thanh Hóa'],
  },
  { id: 'nghe-an', name: 'Nghệ An', nameEn: 'Nghe An', city: false, formerNames: ['Nghệ An'] },
  { id: 'ha-tinh', name: 'Hà Tĩnh', nameEn: 'Ha Tinh', city: false, formerNames: ['Hà Tĩnh'] },
  { id: 'cao-bang', name: 'Cao Bằng', nameEn: 'Cao Bang', city: false, formerNames: ['Cao Bằng'] },
  // Formed by merging (23 units from 52 former ones).
  {
    id: 'tuyen-quang',
    name: 'Tuyên Quang',
    nameEn: 'Tuyen Quang',
    city: false,
    formerNames: ['Tuyên Quang', 'Hà Giang'],
  },
  {
    id: 'lao-cai',
    name: 'Lào Cai',
    nameEn: 'Lao Cai',
    city: false,
    formerNames: ['Lào Cai', 'Yên Bái'],
  },
  {
    id: 'thai-nguyen',
    name: 'Thái Nguyên',
    nameEn: 'Thai Nguyen',
    city: false,
    formerNames: ['Thái Nguyên', 'Bắc Kạn'],
    aliases: ['bắc cạn'],
  },
  {
    id: 'phu-tho',
    name: 'Phú Thọ',
    nameEn: 'Phu Tho',
    city: false,
    formerNames: ['Phú Thọ', 'Vĩnh Phúc', 'Hòa Bình'],
  },
  {
    id: 'bac-ninh',
    name: 'Bắc Ninh',
    nameEn: 'Bac Ninh',
    city: false,
    formerNames: ['Bắc Ninh', 'Bắc Giang'],
  },
  {
    id: 'hung-yen',
    name: 'Hưng Yên',
    nameEn: 'Hung Yen',
    city: false,
    formerNames: ['Hưng Yên', 'Thái Bình'],
  },
  {
    id: 'hai-phong',
    name: 'Hải Phòng',
    nameEn: 'Hai Phong',
    city: true,
    formerNames: ['Hải Phòng', 'Hải Dương'],
    aliases: ['hp'],
  },
  {
    id: 'ninh-binh',
    name: 'Ninh Bình',
    nameEn: 'Ninh Binh',
    city: false,
    formerNames: ['Ninh Bình', 'Hà Nam', 'Nam Định'],
  },
  {
    id: 'quang-tri',
    name: 'Quảng Trị',
    nameEn: 'Quang Tri',
    city: false,
    formerNames: ['Quảng Trị', 'Quảng Bình'],
  },
  {
    id: 'da-nang',
    name: 'Đà Nẵng',
    nameEn: 'Da Nang',
    city: true,
    formerNames: ['Đà Nẵng', 'Quảng Nam'],
    aliases: ['danang'],
  },
  {
    id: 'quang-ngai',
    name: 'Quảng Ngãi',
    nameEn: 'Quang Ngai',
    city: false,
    formerNames: ['Quảng Ngãi', 'Kon Tum'],
    aliases: ['kontum'],
  },
  {
    id: 'gia-lai',
    name: 'Gia Lai',
    nameEn: 'Gia Lai',
    city: false,
    formerNames: ['Gia Lai', 'Bình Định'],
  },
  {
    id: 'khanh-hoa',
    name: 'Khánh Hòa',
    nameEn: 'Khanh Hoa',
    city: false,
    formerNames: ['Khánh Hòa', 'Ninh Thuận'],
  },
  {
    id: 'lam-dong',
    name: 'Lâm Đồng',
    nameEn: 'Lam Dong',
    city: false,
    formerNames: ['Lâm Đồng', 'Đắk Nông', 'Bình Thuận'],
    aliases: ['đắc nông', 'daknong'],
  },
  {
    id: 'dak-lak',
    name: 'Đắk Lắk',
    nameEn: 'Dak Lak',
    city: false,
    formerNames: ['Đắk Lắk', 'Phú Yên'],
    aliases: ['đắc lắc', 'daklak', 'dak lac'],
  },
  {
    id: 'ho-chi-minh',
    name: 'Hồ Chí Minh',
    nameEn: 'Ho Chi Minh City',
    city: true,
    formerNames: ['Hồ Chí Minh', 'Bình Dương', 'Bà Rịa - Vũng Tàu'],
    aliases: ['hcm', 'tphcm', 'hcmc', 'sài gòn', 'saigon', 'sg', 'brvt', 'vũng tàu', 'bà rịa'],
  },
  {
    id: 'dong-nai',
    name: 'Đồng Nai',
    nameEn: 'Dong Nai',
    city: false,
    formerNames: ['Đồng Nai', 'Bình Phước'],
  },
  {
    id: 'tay-ninh',
    name: 'Tây Ninh',
    nameEn: 'Tay Ninh',
    city: false,
    formerNames: ['Tây Ninh', 'Long An'],
  },
  {
    id: 'can-tho',
    name: 'Cần Thơ',
    nameEn: 'Can Tho',
    city: true,
    formerNames: ['Cần Thơ', 'Sóc Trăng', 'Hậu Giang'],
  },
  {
    id: 'vinh-long',
    name: 'Vĩnh Long',
    nameEn: 'Vinh Long',
    city: false,
    formerNames: ['Vĩnh Long', 'Bến Tre', 'Trà Vinh'],
  },
  {
    id: 'dong-thap',
    name: 'Đồng Tháp',
    nameEn: 'Dong Thap',
    city: false,
    formerNames: ['Đồng Tháp', 'Tiền Giang'],
  },
  {
    id: 'ca-mau',
    name: 'Cà Mau',
    nameEn: 'Ca Mau',
    city: false,
    formerNames: ['Cà Mau', 'Bạc Liêu'],
  },
  {
    id: 'an-giang',
    name: 'An Giang',
    nameEn: 'An Giang',
    city: false,
    formerNames: ['An Giang', 'Kiên Giang'],
  },
];

const BY_ID = new Map(PROVINCES.map((p) => [p.id, p]));

/** The unit with this id, if any. */
export function provinceById(id: string): Province | undefined {
  return BY_ID.get(id);
}

/** The unit's display name in a language ("Thành phố Hà Nội" is shortened to "Hà Nội"). */
export function provinceName(id: string, locale: 'vi' | 'en'): string {
  const p = BY_ID.get(id);
  if (!p) return id;
  return locale === 'vi' ? p.name : p.nameEn;
}

/** "tỉnh Bắc Ninh" / "thành phố Đà Nẵng"; "Bac Ninh province" / "Da Nang city". */
export function provinceLongName(id: string, locale: 'vi' | 'en'): string {
  const p = BY_ID.get(id);
  if (!p) return id;
  if (locale === 'vi') return `${p.city ? 'thành phố' : 'tỉnh'} ${p.name}`;
  if (p.nameEn.endsWith('City')) return p.nameEn;
  return `${p.nameEn} ${p.city ? 'city' : 'province'}`;
}

/** What the user typed, resolved. */
export type ProvinceMatch =
  | {
      kind: 'found';
      province: Province;
      /** Set when a former (pre-2025) name was typed. */ former?: string;
    }
  | { kind: 'ambiguous'; candidates: Province[] }
  | { kind: 'none' };

// "Tỉnh", "Thành phố", "TP." and the like carry no information.
const PREFIX = /^(tinh|thanh pho|tp|t p|province of|city of|city)\s+/;
const SUFFIX = /\s+(province|city|cu|moi)$/;

/** Folded, prefix-free, space-free form used for matching ("TP. Hồ Chí Minh" -> "hochiminh"). */
function compact(text: string): string {
  let folded = fold(text);
  for (let i = 0; i < 2; i += 1) folded = folded.replace(PREFIX, '').replace(SUFFIX, '');
  return folded.replace(/\s+/g, '');
}

interface Entry {
  id: number;
  key: string;
  unit: string;
  /** The former unit's name when this entry is a pre-2025 name that is not the unit's own. */
  former?: string;
}

function buildEntries(): Entry[] {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const add = (text: string, unit: Province, former?: string) => {
    const key = compact(text);
    if (!key || seen.has(key)) return;
    seen.add(key);
    entries.push({ id: entries.length, key, unit: unit.id, ...(former ? { former } : {}) });
  };
  // Current names first: a current name wins over a former name that folds the same.
  for (const p of PROVINCES) {
    add(p.name, p);
    add(p.nameEn, p);
  }
  for (const p of PROVINCES) {
    for (const f of p.formerNames) add(f, p, compact(f) === compact(p.name) ? undefined : f);
    for (const a of p.aliases ?? []) add(a, p);
  }
  return entries;
}

const ENTRIES = buildEntries();
const BY_KEY = new Map(ENTRIES.map((e) => [e.key, e]));

// One term per entry (the compact form): MiniSearch's fuzzy search is then an edit distance over
// whole names, so "ha nooi", "nghe anh" or "binh duong" without spaces all find their unit.
const index = new MiniSearch<Entry>({
  fields: ['key'],
  storeFields: ['unit', 'former'],
  tokenize: (text) => [text],
  processTerm: (term) => term,
});
index.addAll(ENTRIES);

/** Edits allowed for a typed name of this length: none for very short input, up to 2 for long. */
function maxEdits(length: number): number {
  if (length <= 3) return 0;
  if (length <= 6) return 1;
  return 2;
}

function lookup(text: string): ProvinceMatch {
  const key = compact(text);
  if (key.length < 2) return { kind: 'none' };
  const exact = BY_KEY.get(key);
  if (exact) return found(exact.unit, exact.former);
  const edits = maxEdits(key.length);
  if (edits === 0) return { kind: 'none' };
  const hits = index.search(key, { fuzzy: () => edits, prefix: false });
  if (hits.length === 0) return { kind: 'none' };
  const best = hits[0]!.score;
  const top = hits.filter((h) => h.score >= best * 0.98);
  const units = [...new Set(top.map((h) => h.unit as string))];
  if (units.length === 1) return found(units[0]!, top[0]!.former as string | undefined);
  return { kind: 'ambiguous', candidates: units.map((u) => BY_ID.get(u)!).slice(0, 5) };
}

function found(unit: string, former?: string): ProvinceMatch {
  return { kind: 'found', province: BY_ID.get(unit)!, ...(former ? { former } : {}) };
}

/**
 * Finds the provincial-level unit a person typed: current or former (pre-2025) names, with or
 * without diacritics, abbreviations (HCM, HN, BRVT) and small typos. An address ("xã X, huyện Y,
 * tỉnh Z") is read from its last part backwards.
 */
export function matchProvince(text: string): ProvinceMatch {
  const byId = BY_ID.get(text.trim());
  if (byId) return { kind: 'found', province: byId };
  const whole = lookup(text);
  if (whole.kind !== 'none') return whole;
  const parts = text
    .split(/[,;\n-]/)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const part of parts.reverse()) {
    const m = lookup(part);
    if (m.kind !== 'none') return m;
  }
  return { kind: 'none' };
}
