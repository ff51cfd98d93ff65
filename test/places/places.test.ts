import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlaceDirectory } from '../../src/places/directory.js';
import { ROOT } from '../../src/services.js';
import { simulate, startTestApp, tempDir, type TestApp } from '../helpers/app.js';

const shipped = path.join(ROOT, 'content');
type Reply = Awaited<ReturnType<typeof simulate>>[number];
const all = (replies: Reply[]) => replies.map((r) => r.text).join('\n---\n');

describe('places to read: search', () => {
  const directory = PlaceDirectory.load(shipped);

  it('ships demonstration entries only, each marked as sample data', () => {
    expect(directory.places.length).toBeGreaterThan(0);
    expect(directory.places.every((p) => p.sample)).toBe(true);
  });

  it.each([
    ['Phường Hoàn Kiếm', 'Phường Hoàn Kiếm'],
    ['phuong hoan kiem', 'Phường Hoàn Kiếm'],
    ['hoan kiem', 'Phường Hoàn Kiếm'],
    ['HOÀN KIẾM, Hà Nội', 'Phường Hoàn Kiếm'],
    ['hoan kim', 'Phường Hoàn Kiếm'],
    ['nghi loc', 'Xã Nghi Lộc'],
    ['Xã Nghi Lộc, tỉnh Nghệ An', 'Xã Nghi Lộc'],
    ['ben thanh', 'Phường Bến Thành'],
  ])('finds the commune of %j', (text, commune) => {
    const found = directory.search(text);
    expect(found.kind).toBe('commune');
    expect(found.kind === 'commune' && found.commune).toBe(commune);
    expect(found.kind === 'commune' && found.places.length).toBeGreaterThan(0);
  });

  it.each([
    ['Hà Nội', 'ha-noi', 2],
    ['ha noi', 'ha-noi', 2],
    ['nghe an', 'nghe-an', 2],
    ['Thanh Hóa', 'thanh-hoa', 0],
  ])('lists the province of %j', (text, province, count) => {
    const found = directory.search(text);
    expect(found).toEqual(expect.objectContaining({ kind: 'province', province }));
    expect(found.kind === 'province' && found.places.length).toBe(count);
  });

  it.each(['xyz', 'qwerty asdf', ''])('finds nothing for %j', (text) => {
    expect(directory.search(text).kind).toBe('none');
  });

  it('names the file and field of a mistake', () => {
    const dir = tempDir();
    const data = JSON.parse(fs.readFileSync(path.join(shipped, 'places.json'), 'utf8'));
    data.places[1].province = 'atlantis';
    fs.writeFileSync(path.join(dir, 'places.json'), JSON.stringify(data));
    expect(() => PlaceDirectory.load(dir)).toThrow(
      /places\.json: field places\.1\.province: must be the id of one of the 34/,
    );
  });
});

describe('places to read: conversation', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });
  const say = (userId: string, text: string) => simulate(t.app, { userId, text });

  it('asks where, then lists the places with and without diacritics', async () => {
    expect(all(await say('p1', 'thư viện gần tôi'))).toContain('xã/phường hoặc tỉnh/thành phố nào');
    const found = all(await say('p1', 'hoan kiem'));
    expect(found).toContain('Nơi đọc sách ở Phường Hoàn Kiếm, Hà Nội:');
    expect(found).toContain('📚 Thư viện phường (dữ liệu mẫu) · Thư viện');
    expect(all(await say('p2', 'thu vien gan toi'))).toContain('xã/phường');
    expect(all(await say('p2', 'Hoàn Kiếm'))).toContain('Phường Hoàn Kiếm, Hà Nội');
  });

  it('answers a place typed with the entry words at once', async () => {
    expect(all(await say('p3', 'thư viện ở Nghi Lộc'))).toContain('Xã Nghi Lộc, Nghệ An');
    expect(all(await say('p3', 'tu sach o ba dinh'))).toContain('Tủ sách lớp học (dữ liệu mẫu)');
    expect(all(await say('p3', 'thư viện tại Thanh Hóa'))).toContain(
      'Hiện chưa có nơi đọc sách nào của Thanh Hóa',
    );
  });

  it('asks again for a place it does not know, and speaks English', async () => {
    await say('p4', 'thư viện');
    expect(all(await say('p4', 'qwerty'))).toContain(
      'Tôi chưa tìm thấy nơi đọc sách nào ở “qwerty”',
    );
    expect(all(await say('p4', 'Hue'))).toContain('Nơi đọc sách ở');
    await say('p5', 'English');
    expect(all(await say('p5', 'places to read in Da Nang'))).toContain(
      'Places to read in Da Nang',
    );
  });
});
