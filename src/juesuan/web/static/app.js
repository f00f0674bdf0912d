/* juesuan web: uploads with progress, live job list, finding ↔ page highlight. No build step. */
(function () {
  'use strict';
  var STATUS = { queued: '排队中', running: '处理中', done: '完成', failed: '失败' };
  // A logged-in session sends its CSRF token with every change it asks for.
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var CSRF = csrfMeta ? csrfMeta.content : '';

  function uploadOne(file, li) {
    return new Promise(function (resolve) {
      var fd = new FormData();
      fd.append('file', file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/documents');
      if (CSRF) xhr.setRequestHeader('X-CSRF-Token', CSRF);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) li.textContent = file.name + '：上传中 ' + Math.round(100 * e.loaded / e.total) + '%';
      };
      xhr.onload = function () {
        var msg = file.name + '：';
        try {
          var body = JSON.parse(xhr.responseText);
          msg += xhr.status < 300 ? '已上传，' + (STATUS[body.status] || body.status) : (body.detail || '上传失败');
        } catch (err) { msg += '上传失败（' + xhr.status + '）'; }
        li.textContent = msg;
        resolve();
      };
      xhr.onerror = function () { li.textContent = file.name + '：网络错误，上传失败'; resolve(); };
      xhr.send(fd);
    });
  }

  var form = document.getElementById('upload-form');
  if (form) {
    form.addEventListener('submit', function (e) {
      var input = document.getElementById('file-input');
      if (!input.files.length) { e.preventDefault(); return; }
      e.preventDefault();
      var list = document.getElementById('upload-status');
      var jobs = Array.prototype.map.call(input.files, function (f) {
        var li = document.createElement('li');
        li.textContent = f.name + '：等待上传';
        list.appendChild(li);
        return uploadOne(f, li);
      });
      Promise.all(jobs).then(function () { input.value = ''; refreshJobs(); });
    });
  }

  function cell(text, cls) {
    var td = document.createElement('td');
    if (cls) td.className = cls;
    td.textContent = text == null ? '' : text;
    return td;
  }

  function refreshJobs() {
    var table = document.getElementById('jobs');
    if (!table) return;
    fetch('/api/documents', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (body) {
      var tbody = table.querySelector('tbody');
      tbody.innerHTML = '';
      if (!body.documents.length) {
        var tr0 = document.createElement('tr');
        tr0.className = 'empty';
        var td0 = cell('还没有文件。');
        td0.colSpan = 7;
        tr0.appendChild(td0);
        tbody.appendChild(tr0);
      }
      var busy = false;
      body.documents.forEach(function (d) {
        var tr = document.createElement('tr');
        tr.dataset.id = d.id;
        tr.dataset.status = d.status;
        var a = document.createElement('a');
        a.href = '/documents/' + d.id;
        a.textContent = d.filename;
        var td = document.createElement('td');
        td.appendChild(a);
        tr.appendChild(td);
        tr.appendChild(cell(STATUS[d.status] || d.status, 'st st-' + d.status));
        var pt = document.createElement('td');
        var pr = document.createElement('progress');
        pr.max = 100; pr.value = d.progress || 0;
        pt.appendChild(pr);
        tr.appendChild(pt);
        tr.appendChild(cell(d.summary.error, 'n-error'));
        tr.appendChild(cell(d.summary.warning, 'n-warning'));
        tr.appendChild(cell(d.summary.info, 'n-info'));
        tr.appendChild(cell(d.error || '', 'err'));
        tbody.appendChild(tr);
        if (d.status === 'queued' || d.status === 'running') busy = true;
      });
      if (busy) setTimeout(refreshJobs, 1000);
    });
  }
  if (document.getElementById('jobs')) {
    var pending = document.querySelector('#jobs tr[data-status="queued"], #jobs tr[data-status="running"]');
    if (pending) setTimeout(refreshJobs, 1000);
  }

  // Document view: reload while processing.
  var head = document.querySelector('.dochead');
  if (head && (head.dataset.status === 'queued' || head.dataset.status === 'running')) {
    setTimeout(function () { location.reload(); }, 1500);
  }

  // Finding → page and box.
  var items = document.querySelectorAll('li.finding');
  function activate(li) {
    var n = li.dataset.f;
    items.forEach(function (x) { x.classList.toggle('active', x === li); });
    document.querySelectorAll('.box.on').forEach(function (b) { b.classList.remove('on'); });
    var boxes = document.querySelectorAll('.box[data-f="' + n + '"]');
    boxes.forEach(function (b) { b.classList.add('on'); });
    if (boxes.length) {
      boxes[0].scrollIntoView({ block: 'center' });
    } else if (li.dataset.page) {
      var pg = document.getElementById('page-' + li.dataset.page);
      if (pg) pg.scrollIntoView({ block: 'start' });
    }
    var frags = document.querySelectorAll('.frags');
    frags.forEach(function (f) { f.hidden = f.dataset.f !== n; });
    var hint = document.querySelector('#frag-pane > .hint');
    if (hint) hint.hidden = true;
  }
  // A place of the finding with a page: its page's box (or the page) comes into view.
  document.querySelectorAll('li.finding ul.locs li.goto').forEach(function (loc) {
    loc.addEventListener('click', function (e) {
      e.stopPropagation();
      var li = loc.closest('li.finding');
      activate(li);
      var box = document.querySelector('#page-' + loc.dataset.page + ' .box[data-f="' + li.dataset.f + '"]');
      var target = box || document.getElementById('page-' + loc.dataset.page);
      if (target) target.scrollIntoView({ block: box ? 'center' : 'start' });
    });
  });
  items.forEach(function (li) {
    li.addEventListener('click', function () { activate(li); });
    li.addEventListener('keydown', function (e) { if (e.key === 'Enter') activate(li); });
  });
  var fs = document.getElementById('f-sev'), fr = document.getElementById('f-rule');
  function applyFilters() {
    items.forEach(function (li) {
      var ok = (!fs.value || li.dataset.severity === fs.value) && (!fr.value || li.dataset.rule === fr.value);
      li.hidden = !ok;
    });
  }
  if (fs && fr) { fs.addEventListener('change', applyFilters); fr.addEventListener('change', applyFilters); }
})();
