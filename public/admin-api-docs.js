// API reference page: starts Swagger UI on the served OpenAPI document (no validator badge, so nothing leaves our origin).
(function () {
  // Swagger UI draws `<main>` elements of its own inside the console's main: they are regions of the page instead.
  function demoteMains(root) {
    var mains = root.querySelectorAll('main:not([role])');
    for (var i = 0; i < mains.length; i++) {
      mains[i].setAttribute('role', 'region');
      if (!mains[i].hasAttribute('aria-label')) mains[i].setAttribute('aria-label', 'Operations');
    }
  }
  function start() {
    var el = document.getElementById('api-reference');
    if (!el || typeof window.SwaggerUIBundle !== 'function') return;
    el.textContent = '';
    new MutationObserver(function () {
      demoteMains(el);
    }).observe(el, { childList: true, subtree: true });
    window.SwaggerUIBundle({
      url: el.getAttribute('data-spec'),
      domNode: el,
      deepLinking: true,
      validatorUrl: null,
      presets: [window.SwaggerUIBundle.presets.apis],
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
