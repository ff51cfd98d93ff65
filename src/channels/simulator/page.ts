/** The simulator chat page: Vietnamese by default, English on a switch, buttons rendered. */
export function simulatorPage(): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trợ lý Tuần lễ học tập suốt đời — thử nghiệm</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #eef2f7; }
  header { background: #0b5cad; color: #fff; padding: 12px 16px; display: flex; justify-content: space-between; align-items: center; }
  header h1 { font-size: 16px; margin: 0; }
  header button { background: #fff; color: #0b5cad; border: 0; border-radius: 4px; padding: 6px 10px; cursor: pointer; }
  #log { max-width: 640px; margin: 0 auto; padding: 16px; display: flex; flex-direction: column; gap: 8px; padding-bottom: 90px; }
  .msg { max-width: 80%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; line-height: 1.4; }
  .me { align-self: flex-end; background: #0b5cad; color: #fff; }
  .bot { align-self: flex-start; background: #fff; }
  .choices { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
  .choices button { border: 1px solid #0b5cad; background: #fff; color: #0b5cad; border-radius: 14px; padding: 4px 10px; cursor: pointer; }
  form { position: fixed; bottom: 0; left: 0; right: 0; display: flex; gap: 8px; padding: 12px; background: #fff; border-top: 1px solid #ccd; }
  form input { flex: 1; padding: 10px; font-size: 16px; border: 1px solid #ccd; border-radius: 6px; }
  form button { padding: 10px 16px; font-size: 16px; background: #0b5cad; color: #fff; border: 0; border-radius: 6px; }
  .error { align-self: center; color: #a00; font-size: 14px; }
</style>
</head>
<body>
<header><h1 id="title">Trợ lý Tuần lễ hưởng ứng học tập suốt đời</h1><button id="lang" type="button">English</button></header>
<main id="log" aria-live="polite"></main>
<form id="form"><input id="text" autocomplete="off" placeholder="Nhập tin nhắn..." aria-label="Tin nhắn"><button id="send">Gửi</button></form>
<script>
  const ui = {
    vi: { title: 'Trợ lý Tuần lễ hưởng ứng học tập suốt đời', placeholder: 'Nhập tin nhắn...', send: 'Gửi', other: 'English', error: 'Không gửi được, vui lòng thử lại.' },
    en: { title: 'Lifelong Learning Week assistant', placeholder: 'Type a message...', send: 'Send', other: 'Tiếng Việt', error: 'Could not send, please try again.' },
  };
  let locale = localStorage.getItem('sim-locale') || 'vi';
  let userId = localStorage.getItem('sim-user');
  if (!userId) { userId = 'web-' + Math.random().toString(36).slice(2, 10); localStorage.setItem('sim-user', userId); }
  const log = document.getElementById('log');
  function applyUi() {
    const t = ui[locale];
    document.documentElement.lang = locale;
    document.getElementById('title').textContent = t.title;
    document.getElementById('text').placeholder = t.placeholder;
    document.getElementById('send').textContent = t.send;
    document.getElementById('lang').textContent = t.other;
  }
  // The bot also lists its buttons as "1. Title" lines for platforms without buttons; the page
  // shows each menu once: the lines go and the buttons carry the numbers people can type.
  function withoutList(text, choices) {
    const lines = text.split('\\n');
    let n = choices.length;
    while (n > 0 && lines[lines.length - 1] === n + '. ' + choices[n - 1].title) { lines.pop(); n--; }
    return n === 0 ? lines.join('\\n') : text;
  }
  function add(cls, text, choices) {
    const div = document.createElement('div');
    div.className = 'msg ' + cls;
    const listed = choices && choices.length ? withoutList(text, choices) : text;
    div.textContent = listed;
    if (choices && choices.length) {
      const row = document.createElement('div');
      row.className = 'choices';
      const numbered = listed !== text;
      for (const [i, c] of choices.entries()) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = numbered ? (i + 1) + '. ' + c.title : c.title;
        b.onclick = () => send(c.title, c.payload);
        row.appendChild(b);
      }
      div.appendChild(row);
    }
    log.appendChild(div);
    window.scrollTo(0, document.body.scrollHeight);
  }
  async function send(text, payload) {
    add('me', text);
    try {
      const res = await fetch('/simulator/api/messages', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload ? { userId, text, payload, locale } : { userId, text, locale }),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body.message);
      for (const r of body.replies) add('bot', r.text, r.choices);
    } catch (e) {
      const div = document.createElement('div'); div.className = 'error'; div.textContent = ui[locale].error; log.appendChild(div);
    }
  }
  document.getElementById('form').onsubmit = (e) => {
    e.preventDefault();
    const input = document.getElementById('text');
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
  };
  document.getElementById('lang').onclick = () => {
    locale = locale === 'vi' ? 'en' : 'vi';
    localStorage.setItem('sim-locale', locale);
    applyUi();
    send(locale === 'vi' ? 'Tiếng Việt' : 'English', 'LANG:' + locale);
  };
  setInterval(async () => {
    try {
      const res = await fetch('/simulator/api/messages?userId=' + encodeURIComponent(userId));
      if (res.ok) for (const r of (await res.json()).replies) add('bot', r.text, r.choices);
    } catch (e) { /* offline: try again next tick */ }
  }, 5000);
  applyUi();
  send(locale === 'vi' ? 'Xin chào' : 'Hello');
</script>
</body>
</html>`;
}
