// Progressive enhancement only: the pages work without it. On a build page whose build is
// still running, stream the log with Server-Sent Events instead of waiting for a reload.
'use strict';
(function () {
  const log = document.querySelector('pre.log[data-stream]');
  if (log && 'EventSource' in window) {
    const state = document.querySelector('[data-build-state]');
    const source = new EventSource(log.getAttribute('data-stream'));
    let last = Number(log.getAttribute('data-last-seq') || '-1');
    source.addEventListener('log', function (event) {
      const line = JSON.parse(event.data);
      if (line.seq <= last) return;
      last = line.seq;
      const span = document.createElement('span');
      span.className = line.stream;
      span.textContent = line.line + '\n';
      const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
      log.appendChild(span);
      if (atBottom) log.scrollTop = log.scrollHeight;
    });
    source.addEventListener('state', function (event) {
      const build = JSON.parse(event.data);
      if (state) {
        state.textContent = build.state.name;
        state.className = 'state state-' + build.state.code;
        state.setAttribute('data-build-state', build.state.code);
      }
    });
    source.addEventListener('end', function () {
      source.close();
      // The finished page has the final timings, the error and the docs link.
      window.location.reload();
    });
  }
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      const target = document.getElementById(button.getAttribute('data-copy'));
      if (target && navigator.clipboard) navigator.clipboard.writeText(target.textContent || '');
    });
  });
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
})();
