// Template editor: refreshes the preview (text, encoding, segments) as the admin types, through the console's preview endpoint.
(function () {
  var form = document.getElementById('template-form');
  var body = document.getElementById('body');
  if (!form || !body) return;
  var url = body.getAttribute('data-preview-url');
  var out = {
    error: document.getElementById('preview-error'),
    text: document.getElementById('preview-text'),
    encoding: document.getElementById('preview-encoding'),
    characters: document.getElementById('preview-characters'),
    segments: document.getElementById('preview-segments'),
    friendlyText: document.getElementById('preview-friendly-text'),
    friendlyEncoding: document.getElementById('preview-friendly-encoding'),
    friendlySegments: document.getElementById('preview-friendly-segments'),
  };
  var timer = null;
  var seq = 0;

  function show(p) {
    out.error.hidden = true;
    out.error.textContent = '';
    out.text.textContent = p.text;
    out.encoding.textContent = p.encoding;
    out.characters.textContent = String(p.characters);
    out.segments.textContent = String(p.segments);
    if (p.alternative && out.friendlyText) {
      out.friendlyText.textContent = p.alternative.text;
      out.friendlyEncoding.textContent = p.alternative.encoding;
      out.friendlySegments.textContent = String(p.alternative.segments);
    }
  }

  function fail(message) {
    out.error.textContent = message;
    out.error.hidden = false;
    out.text.textContent = '';
    out.encoding.textContent = '';
    out.characters.textContent = '';
    out.segments.textContent = '';
  }

  function refresh() {
    var mine = ++seq;
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString(),
    })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        if (mine !== seq) return; // a newer request is on its way
        if (p && typeof p.segments === 'number') show(p);
        else fail((p && p.message) || '');
      })
      .catch(function () { /* keep the last preview; the Preview button still works */ });
  }

  body.addEventListener('input', function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
})();
