// Development inbox: fetches the page again every few seconds and swaps in the new list, so new texts appear without a reload.
(function () {
  var inbox = document.getElementById('inbox');
  if (!inbox) return;
  var every = (Number(inbox.getAttribute('data-refresh-seconds')) || 3) * 1000;
  function refresh() {
    fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html) {
          var next = new DOMParser().parseFromString(html, 'text/html').getElementById('inbox');
          if (next && next.innerHTML !== inbox.innerHTML) inbox.innerHTML = next.innerHTML;
        }
        setTimeout(refresh, every);
      })
      .catch(function () { setTimeout(refresh, every * 2); });
  }
  setTimeout(refresh, every);
})();
