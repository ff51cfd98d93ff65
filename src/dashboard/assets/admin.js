// The dashboard's only script: a live preview while composing, live progress of a broadcast,
// and forms that cannot be submitted twice. Every page also works without it.
(function () {
  'use strict';
  // A second click on a submit button does nothing (the server refuses a second send anyway).
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.dataset.sent) {
      e.preventDefault();
      return;
    }
    form.dataset.sent = '1';
    form.querySelectorAll('button').forEach(function (b) {
      b.disabled = true;
    });
  });

  var compose = document.getElementById('compose');
  var preview = document.getElementById('preview');
  if (compose && preview) {
    var timer;
    var refresh = function () {
      var data = new URLSearchParams(new FormData(compose));
      fetch(preview.dataset.src, { method: 'POST', body: data, credentials: 'same-origin' })
        .then(function (r) {
          return r.ok ? r.text() : null;
        })
        .then(function (h) {
          if (h !== null) preview.innerHTML = h;
        })
        .catch(function () {
          /* offline: keep the last preview */
        });
    };
    compose.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    compose.addEventListener('change', refresh);
  }

  var progress = document.getElementById('progress');
  if (progress && progress.dataset.poll) {
    var poll = function () {
      fetch(progress.dataset.poll, { credentials: 'same-origin' })
        .then(function (r) {
          return r.json();
        })
        .then(function (p) {
          Object.keys(p.counts).forEach(function (k) {
            var el = progress.querySelector('[data-count="' + k + '"]');
            if (el) el.textContent = String(p.counts[k]);
          });
          var bar = document.getElementById('bar');
          bar.max = Math.max(1, p.counts.total);
          bar.value = p.counts.sent + p.counts.failed + p.counts.skipped + p.counts.unknown;
          document.getElementById('status').textContent = p.label;
          if (p.status !== progress.dataset.status && p.status !== 'sending') location.reload();
          else setTimeout(poll, 1000);
        })
        .catch(function () {
          setTimeout(poll, 3000);
        });
    };
    setTimeout(poll, 1000);
  }
})();
