// The console works without this script (plain forms and links); with it: a live audience count,
// an upload progress bar for CSV files, live broadcast progress, and forms sent in place.
'use strict';
(function () {
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  function debounce(fn, ms) {
    var timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  var compose = document.getElementById('compose');
  if (compose) {
    var count = document.getElementById('count');
    var refresh = debounce(function () {
      var query = new URLSearchParams();
      new FormData(compose).forEach(function (value, key) {
        if (key === 'tags' || key === 'langs' || key === 'channels') query.append(key, value);
      });
      fetch(compose.dataset.count + '?' + query, { headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) { if (body) count.textContent = body.label; })
        .catch(function () {});
    }, 250);
    compose.addEventListener('input', refresh);
    compose.addEventListener('change', refresh);
  }

  var importForm = document.getElementById('import-form');
  if (importForm) {
    importForm.addEventListener('submit', function (event) {
      var file = document.getElementById('csv-file').files[0];
      if (!file) return;
      event.preventDefault();
      var bar = document.getElementById('import-progress');
      var result = document.getElementById('import-result');
      bar.hidden = false;
      bar.value = 0;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', importForm.dataset.upload);
      xhr.setRequestHeader('content-type', 'text/csv');
      xhr.setRequestHeader('x-csrf-token', csrf);
      xhr.setRequestHeader('x-fragment', '1');
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round((e.loaded * 90) / e.total); };
      xhr.onload = function () {
        bar.value = 100;
        result.innerHTML = xhr.status === 200 ? xhr.responseText : '<p class="error" role="alert"></p>';
        if (xhr.status !== 200) result.firstChild.textContent = xhr.responseText;
      };
      xhr.send(file);
    });
  }

  var COLUMNS = ['total', 'queued', 'sent', 'delivered', 'read', 'held', 'failed', 'replied'];
  var live = document.getElementById('live');
  if (live && window.EventSource) {
    var source = new EventSource(live.dataset.events);
    source.addEventListener('progress', function (event) {
      var data = JSON.parse(event.data);
      document.getElementById('progress').value = data.percent;
      document.getElementById('progress-label').textContent = data.label;
      if (data.status) document.getElementById('status').textContent = data.status;
      [['by-lang', data.byLang], ['by-channel', data.byChannel]].forEach(function (pair) {
        var table = document.getElementById(pair[0]);
        pair[1].forEach(function (row) {
          var tr = table.querySelector('tr[data-key="' + CSS.escape(row[0]) + '"]');
          if (!tr) {
            // A language or channel seen for the first time (the broadcast was just prepared).
            tr = document.createElement('tr');
            tr.dataset.key = row[0];
            var th = document.createElement('th');
            th.scope = 'row';
            th.textContent = row[0];
            tr.appendChild(th);
            COLUMNS.forEach(function (col) {
              var td = document.createElement('td');
              td.dataset.col = col;
              tr.appendChild(td);
            });
            table.tBodies[0].appendChild(tr);
          }
          Object.keys(row[1]).forEach(function (col) {
            var td = tr.querySelector('td[data-col="' + col + '"]');
            if (td) td.textContent = row[1][col];
          });
        });
      });
    });
  }

  document.querySelectorAll('form[data-inline]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var out = form.querySelector('.inline-result');
      fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { 'x-fragment': '1' } })
        .then(function (r) { return r.text(); })
        .then(function (text) { out.textContent = text; })
        .catch(function () {});
    });
  });
})();
