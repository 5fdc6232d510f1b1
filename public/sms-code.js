// Code screen: enables "Resend code" when the cooldown ends and shows a failed delivery without a reload.
(function () {
  var resend = document.getElementById('resend');
  var hint = document.getElementById('resend-hint');
  var wait = resend ? Number(resend.getAttribute('data-wait')) || 0 : 0;
  if (resend && wait > 0) {
    var timer = setInterval(function () {
      wait -= 1;
      if (hint) hint.textContent = hint.textContent.replace(/\d+/, String(Math.max(wait, 0)));
      if (wait <= 0) {
        clearInterval(timer);
        resend.disabled = false;
        if (hint) hint.remove();
      }
    }, 1000);
  }
  var box = document.getElementById('delivery');
  if (!box || box.children.length) return;
  var url = box.getAttribute('data-status-url');
  var tries = 0;
  function poll() {
    tries += 1;
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s && s.undelivered) {
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
