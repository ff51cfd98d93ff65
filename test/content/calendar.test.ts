import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, localNow, mondayOf, tenseOf } from '../../src/content/calendar.js';

const HCM = 'Asia/Ho_Chi_Minh';

describe('calendar', () => {
  it('reads the wall clock of Ho Chi Minh City (UTC+7), across midnight', () => {
    expect(localNow(Date.parse('2020-09-30T16:59:00Z'), HCM)).toEqual({
      date: '2020-09-30',
      time: '23:59',
    });
    expect(localNow(Date.parse('2020-09-30T17:00:00Z'), HCM)).toEqual({
      date: '2020-10-01',
      time: '00:00',
    });
  });

  it('counts days and weeks', () => {
    expect(daysBetween('2020-09-26', '2020-10-01')).toBe(5);
    expect(daysBetween('2020-10-07', '2020-10-01')).toBe(-6);
    expect(addDays('2020-09-30', 1)).toBe('2020-10-01');
    expect(mondayOf('2020-10-01')).toBe('2020-09-28'); // a Thursday
    expect(mondayOf('2020-10-04')).toBe('2020-09-28'); // a Sunday
    expect(mondayOf('2020-10-05')).toBe('2020-10-05');
  });

  it('puts an event in the past only once it is over', () => {
    const session = { date: '2020-10-03', time: '08:00', endTime: '11:00' };
    expect(tenseOf(session, { date: '2020-10-03', time: '07:59' })).toBe('future');
    expect(tenseOf(session, { date: '2020-10-03', time: '08:00' })).toBe('now');
    expect(tenseOf(session, { date: '2020-10-03', time: '11:00' })).toBe('now');
    expect(tenseOf(session, { date: '2020-10-03', time: '11:01' })).toBe('past');
    const week = { date: '2020-10-01', endDate: '2020-10-07' };
    expect(tenseOf(week, { date: '2020-10-07', time: '23:59' })).toBe('now');
    expect(tenseOf(week, { date: '2020-10-08', time: '00:00' })).toBe('past');
  });
});
