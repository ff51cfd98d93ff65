import type { Intent } from '../src/understanding/question-index.js';

/** What the events feature answers from the clock; ids start with "events.". */
export type EventsQuery = 'today' | 'week' | 'next' | 'start' | 'countdown' | 'all';

/** Ways people ask about events, by query (understanding data, not organiser content). */
export const EVENT_INTENTS: ReadonlyArray<Intent & { query: EventsQuery }> = [
  {
    id: 'events.today',
    query: 'today',
    questions: {
      vi: [
        'Hôm nay có sự kiện gì?',
        'Hôm nay có hoạt động gì?',
        'Hôm nay có gì?',
        'Hôm nay diễn ra sự kiện nào?',
        'Lịch hôm nay',
        'Hôm nay có lớp gì không?',
      ],
      en: [
        "What's on today?",
        'Events today',
        'Is anything happening today?',
        "Today's schedule",
        'What is happening today?',
      ],
    },
  },
  {
    id: 'events.week',
    query: 'week',
    questions: {
      vi: [
        'Tuần này có sự kiện gì?',
        'Lịch sự kiện tuần này',
        'Tuần này có hoạt động gì?',
        'Trong tuần này có gì?',
        'Các sự kiện trong tuần này',
      ],
      en: [
        "What's on this week?",
        'Events this week',
        "This week's schedule",
        'What is happening this week?',
      ],
    },
  },
  {
    id: 'events.next',
    query: 'next',
    questions: {
      vi: [
        'Sự kiện tiếp theo là gì?',
        'Sắp tới có sự kiện gì?',
        'Sự kiện sắp diễn ra',
        'Hoạt động sắp tới',
        'Ngày mai có gì?',
        'Sự kiện kế tiếp',
      ],
      en: [
        "What's next?",
        'Next event',
        'Upcoming events',
        'What is coming up?',
        "What's on tomorrow?",
      ],
    },
  },
  {
    id: 'events.start',
    query: 'start',
    questions: {
      vi: [
        'Khi nào tuần lễ bắt đầu?',
        'Bao giờ bắt đầu?',
        'Ngày bắt đầu tuần lễ',
        'Tuần lễ bắt đầu chưa?',
        'Khi nào bắt đầu?',
      ],
      en: [
        'When does the week start?',
        'When does it begin?',
        'Start date',
        'Has the week started?',
      ],
    },
  },
  {
    id: 'events.countdown',
    query: 'countdown',
    questions: {
      vi: [
        'Còn bao nhiêu ngày nữa?',
        'Còn mấy ngày nữa đến tuần lễ?',
        'Bao nhiêu ngày nữa thì bắt đầu?',
        'Còn mấy ngày nữa kết thúc?',
        'Đếm ngược tuần lễ',
      ],
      en: [
        'How many days left?',
        'How long until the week?',
        'Days to go',
        'Countdown to the week',
      ],
    },
  },
  {
    id: 'events.all',
    query: 'all',
    questions: {
      vi: [
        'Lịch các sự kiện',
        'Danh sách sự kiện',
        'Có những sự kiện nào?',
        'Lịch sự kiện của tuần lễ',
        'Xem lịch sự kiện',
        'Sự kiện ở đâu?',
      ],
      en: [
        'Event schedule',
        'List of events',
        'What events are there?',
        'Show all events',
        'Where are the events?',
      ],
    },
  },
];
