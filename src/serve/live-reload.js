/* raadsite serve: live reload */
(function () {
  // The build this page was served from, and its error (null when it built).
  var g = GENERATION, f = ERROR;
  // Shows the build error `t` as an overlay at the top of the page; null removes it.
  function toon(t) {
    var d = document.getElementById('raadsite-fout');
    if (t === null) {
      if (d) d.remove();
      return;
    }
    if (!d) {
      d = document.createElement('div');
      d.id = 'raadsite-fout';
      d.setAttribute('role', 'alert');
      d.style.cssText = 'position:fixed;left:0;right:0;top:0;max-height:70vh;overflow:auto;'
        + 'margin:0;padding:1em;background:#fff0f0;color:#5c0000;border-bottom:4px solid #a00;'
        + 'font:14px/1.45 monospace;white-space:pre-wrap;z-index:2147483647';
      document.body.appendChild(d);
    }
    d.textContent = 'De site kon niet opnieuw worden gebouwd; u ziet de laatste goede versie.\n\n' + t;
  }
  // Waits for a newer build: reloads when it succeeded, shows its error when it failed.
  function wacht() {
    fetch('WAIT_PATH?sinds=' + g, { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.generatie !== g) {
          if (s.fout === null) {
            location.reload();
            return;
          }
          g = s.generatie;
          toon(s.fout);
        }
        wacht();
      })
      .catch(function () { setTimeout(wacht, 1000); });
  }
  if (f !== null) document.addEventListener('DOMContentLoaded', function () { toon(f); });
  wacht();
})();
