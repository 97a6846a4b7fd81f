/* Forwarding kit of raadsite: copy the permanent link, e-mail it, print the page. The
   buttons are hidden until this script runs. Without base_url the link on the page is
   relative; the page's own address is then the link (this works from disk too). */
(function () {
  'use strict';

  // The same body as raadsite writes in the mailto link (src/forward.rs).
  function body(link, samenvatting) {
    return samenvatting ? link + '\r\n\r\n' + samenvatting : link;
  }

  Array.prototype.forEach.call(document.querySelectorAll('.doorsturen'), function (kit) {
    var input = kit.querySelector('.vaste-link');
    var status = kit.querySelector('.doorsturen-status');
    var mail = kit.querySelector('a.mail');
    var buttons = kit.querySelector('.doorsturen-knoppen');
    if (!input || !status || !mail || !buttons) return;

    if (kit.getAttribute('data-absoluut') !== 'ja') {
      var link = location.href.split('#')[0].split('?')[0];
      input.value = link;
      mail.href = 'mailto:?subject=' + encodeURIComponent(kit.getAttribute('data-onderwerp') || '') +
        '&body=' + encodeURIComponent(body(link, kit.getAttribute('data-samenvatting')));
    }

    function say(message) {
      // Emptied first so that the same message is announced again on a second click.
      status.textContent = '';
      setTimeout(function () { status.textContent = message; }, 100);
    }

    function selectAndCopy() {
      input.focus();
      input.select();
      var copied = false;
      try {
        copied = document.execCommand('copy');
      } catch (e) {
        copied = false;
      }
      say(copied ? 'Link gekopieerd' : 'De link is geselecteerd: kopieer hem met Ctrl+C (of Cmd+C).');
    }

    kit.querySelector('.kopieer').addEventListener('click', function () {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(function () {
          say('Link gekopieerd');
        }, selectAndCopy);
      } else {
        selectAndCopy();
      }
    });
    kit.querySelector('.afdrukken').addEventListener('click', function () {
      window.print();
    });
    buttons.hidden = false;
  });
})();
