// Code screen: enables "Resend code" when the cooldown ends and shows a failed delivery without a reload.
(function () {
  var resend = document.getElementById('resend');
  var hint = document.getElementById('resend-hint');
  var wait = resend ? Number(resend.getAttribute('data-wait')) || 0 : 0;
  // The hint says the wait in words ("in 55 minutes"), as the server does (src/i18n/durations.ts); keep it true as time passes.
  function inWords(s) {
    var u = s < 60 ? [Math.max(1, Math.ceil(s)), 'second'] : s < 5400 ? [Math.ceil(s / 60), 'minute'] : s < 129600 ? [Math.ceil(s / 3600), 'hour'] : [Math.ceil(s / 86400), 'day'];
    return new Intl.RelativeTimeFormat(document.documentElement.lang || 'en', { numeric: 'always' }).format(u[0], u[1]);
  }
  var said = wait > 0 ? inWords(wait) : '';
  if (resend && wait > 0) {
    var timer = setInterval(function () {
      wait -= 1;
      if (hint && wait > 0) {
        var now = inWords(wait);
        if (now !== said && hint.textContent.indexOf(said) !== -1) hint.textContent = hint.textContent.replace(said, now);
        said = now;
      }
      if (wait <= 0) {
        clearInterval(timer);
        resend.disabled = false;
        if (hint) hint.remove();
      }
    }, 1000);
  }
  var box = document.getElementById('delivery');
  if (!box || box.querySelector('.error')) return;
  var url = box.getAttribute('data-status-url');
  var tries = 0;
  function poll() {
    tries += 1;
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s && s.rerouted && !document.getElementById('rerouted')) {
          var note = document.createElement('p');
          note.className = 'notice';
          note.id = 'rerouted';
          note.setAttribute('role', 'status');
          note.textContent = s.notice;
          box.appendChild(note);
        }
        if (s && s.undelivered) {
          var old = document.getElementById('rerouted');
          if (old) old.remove();
          var div = document.createElement('div');
          div.className = 'error';
          div.setAttribute('role', 'alert');
          var p1 = document.createElement('p');
          var strong = document.createElement('strong');
          strong.textContent = s.title;
          p1.appendChild(strong);
          p1.appendChild(document.createTextNode(' ' + s.reason));
          var p2 = document.createElement('p');
          p2.textContent = s.help;
          div.appendChild(p1);
          div.appendChild(p2);
          box.appendChild(div);
        } else if (tries < 40) {
          setTimeout(poll, 3000);
        }
      })
      .catch(function () { if (tries < 40) setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
