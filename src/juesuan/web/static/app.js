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
          if (xhr.status < 300) { li.dataset.id = body.id; li.dataset.name = file.name; }
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
  function num(v) { return v == null ? '' : String(v); }

  // One row of the list, the same cells as the server renders (index.html).
  function jobRow(d) {
    var tr = document.createElement('tr');
    var data = { id: d.id, status: d.status, kind: d.kind || '', review: d.review.state, filename: d.filename,
                 department: d.department || '', year: num(d.year), created_at: d.created_at || '', pages: num(d.pages),
                 n_error: num(d.summary.error), n_warning: num(d.summary.warning), n_info: num(d.summary.info) };
    Object.keys(data).forEach(function (k) { tr.dataset[k] = data[k]; });
    var td = document.createElement('td');
    var a = document.createElement('a');
    a.href = '/documents/' + d.id;
    a.textContent = d.filename;
    td.appendChild(a);
    if (d.copies > 1) {
      var cp = document.createElement('span');
      cp.className = 'copy';
      cp.title = '同一文件（SHA-256 ' + d.sha256.slice(0, 12) + '）共上传 ' + d.copies + ' 次';
      cp.textContent = '第 ' + d.copy + ' 份';
      td.appendChild(document.createTextNode(' '));
      td.appendChild(cp);
    }
    tr.appendChild(td);
    tr.appendChild(cell(d.department));
    tr.appendChild(cell(d.year));
    tr.appendChild(cell(d.kind));
    tr.appendChild(cell((d.created_at || '').replace('T', ' ')));
    tr.appendChild(cell(d.pages));
    tr.appendChild(cell(STATUS[d.status] || d.status, 'st st-' + d.status));
    var pt = document.createElement('td');
    var pr = document.createElement('progress');
    pr.max = 100; pr.value = d.progress || 0;
    pt.appendChild(pr);
    tr.appendChild(pt);
    tr.appendChild(cell(d.summary.error, 'n-error'));
    tr.appendChild(cell(d.summary.warning, 'n-warning'));
    tr.appendChild(cell(d.summary.info, 'n-info'));
    var rv = d.review;
    tr.appendChild(cell(rv.state_zh + (rv.to_review ? '（' + rv.decided + '/' + rv.to_review + '）' : ''), 'rv rv-' + rv.state));
    tr.appendChild(cell(d.uploaded_by));
    tr.appendChild(cell(d.error || '', 'err'));
    return tr;
  }

  // The upload messages follow their jobs until each is done or failed.
  function updateUploads(docs) {
    var pending = false;
    document.querySelectorAll('#upload-status li[data-id]').forEach(function (li) {
      var d = docs.filter(function (x) { return x.id === li.dataset.id; })[0];
      if (!d) return;
      var msg = li.dataset.name + '：';
      if (d.status === 'done') {
        msg += '核对完成（错误 ' + d.summary.error + '，警告 ' + d.summary.warning + '，提示 ' + d.summary.info + '）';
      } else if (d.status === 'failed') {
        msg += '处理失败：' + (d.error || '');
      } else {
        msg += '已上传，' + STATUS[d.status] + (d.status === 'running' ? '（' + d.progress + '%）' : '');
        pending = true;
      }
      li.textContent = msg;
      li.dataset.status = d.status;
    });
    return pending;
  }

  // Search, filters and sorting of the list, in the page (no reload).
  var sortKey = null, sortDir = 1;
  function applyListView() {
    var table = document.getElementById('jobs');
    if (!table) return;
    var q = (document.getElementById('q') || {}).value || '';
    var fk = (document.getElementById('f-kind') || {}).value || '';
    var fst = (document.getElementById('f-status') || {}).value || '';
    var frv = (document.getElementById('f-review') || {}).value || '';
    var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr[data-id]'));
    var shown = 0;
    rows.forEach(function (tr) {
      var text = (tr.dataset.filename + ' ' + tr.dataset.department).toLowerCase();
      var ok = (!q || text.indexOf(q.toLowerCase()) >= 0) && (!fk || tr.dataset.kind === fk) &&
               (!fst || tr.dataset.status === fst) && (!frv || tr.dataset.review === frv);
      tr.hidden = !ok;
      if (ok) shown++;
    });
    if (sortKey) {
      var numeric = ['year', 'pages', 'n_error', 'n_warning', 'n_info'].indexOf(sortKey) >= 0;
      rows.sort(function (a, b) {
        var x = a.dataset[sortKey] || '', y = b.dataset[sortKey] || '';
        if (numeric) { x = x === '' ? -1 : Number(x); y = y === '' ? -1 : Number(y); return (x - y) * sortDir; }
        return x.localeCompare(y, 'zh-CN') * sortDir;
      });
      var tbody = table.querySelector('tbody');
      rows.forEach(function (tr) { tbody.appendChild(tr); });
    }
    var n = document.getElementById('n-shown');
    if (n) n.textContent = '显示 ' + shown + ' / ' + rows.length + ' 个文件';
  }
  ['q', 'f-kind', 'f-status', 'f-review'].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) el.addEventListener(id === 'q' ? 'input' : 'change', applyListView);
  });
  document.querySelectorAll('#jobs th.sortable').forEach(function (th) {
    th.addEventListener('click', function () {
      sortDir = sortKey === th.dataset.sort ? -sortDir : 1;
      sortKey = th.dataset.sort;
      applyListView();
    });
  });
  var recheckAll = document.getElementById('recheck-all');
  if (recheckAll) recheckAll.addEventListener('click', function () {
    var headers = {};
    if (CSRF) headers['X-CSRF-Token'] = CSRF;
    fetch('/api/recheck', { method: 'POST', credentials: 'same-origin', headers: headers })
      .then(function () { refreshJobs(); });
  });

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
        td0.colSpan = 14;
        tr0.appendChild(td0);
        tbody.appendChild(tr0);
      }
      var busy = false;
      body.documents.forEach(function (d) {
        tbody.appendChild(jobRow(d));
        if (d.status === 'queued' || d.status === 'running') busy = true;
      });
      busy = updateUploads(body.documents) || busy;
      applyListView();
      if (busy) setTimeout(refreshJobs, 1000);
    });
  }
  if (document.getElementById('jobs')) {
    applyListView();
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
  // Decisions and comments: sent as JSON with the session's CSRF token; the finding shows the
  // server's answer (or its refusal) in place.
  function post(url, body, method) {
    var headers = { 'Content-Type': 'application/json' };
    if (CSRF) headers['X-CSRF-Token'] = CSRF;
    return fetch(url, { method: method || 'POST', credentials: 'same-origin', headers: headers,
                        body: body ? JSON.stringify(body) : undefined })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); });
  }
  function countConfirmed() {
    var n = document.querySelectorAll('li.finding[data-decision="confirmed"]').length;
    var el = document.getElementById('n-confirmed');
    if (el) el.textContent = '已确认 ' + n + ' 条';
  }
  function decide(li, decision) {
    var reason = li.querySelector('input.reason');
    var text = reason ? reason.value.trim() : '';
    var out = li.querySelector('.decision');
    if (decision === 'dismissed' && !text) { out.textContent = '排除时请填写理由'; if (reason) reason.focus(); return; }
    post('/api/findings/' + li.dataset.id + '/decision', { decision: decision, reason: text }).then(function (res) {
      if (!res.ok) { out.textContent = res.body.detail || '操作失败'; return; }
      var d = res.body.decision;
      li.dataset.decision = d.decision;
      li.classList.remove('dec-confirmed', 'dec-dismissed');
      li.classList.add('dec-' + d.decision);
      out.textContent = d.decision_zh + '（' + (d.by || '匿名') + '，' + d.at.replace('T', ' ') + '）' + (d.reason ? '：' + d.reason : '');
      countConfirmed();
    });
  }
  document.querySelectorAll('li.finding .review').forEach(function (box) {
    var li = box.closest('li.finding');
    box.addEventListener('click', function (e) { e.stopPropagation(); });
    var c = box.querySelector('.act-confirm'), d = box.querySelector('.act-dismiss'), m = box.querySelector('.act-comment');
    if (c) c.addEventListener('click', function () { decide(li, 'confirmed'); });
    if (d) d.addEventListener('click', function () { decide(li, 'dismissed'); });
    if (m) m.addEventListener('click', function () {
      var input = box.querySelector('input.reason');
      var text = input.value.trim();
      if (!text) { input.placeholder = '在此输入评论'; input.focus(); return; }
      post('/api/findings/' + li.dataset.id + '/comments', { text: text }).then(function (res) {
        var item = document.createElement('li');
        item.textContent = res.ok ? (res.body.by || '匿名') + '（' + res.body.at.replace('T', ' ') + '）：' + res.body.text : (res.body.detail || '评论失败');
        box.querySelector('ul.comments').appendChild(item);
        if (res.ok) input.value = '';
      });
    });
  });
  var recheck = document.getElementById('recheck');
  if (recheck) recheck.addEventListener('click', function () {
    post('/api/documents/' + recheck.dataset.id + '/recheck').then(function () { location.reload(); });
  });

  // Organisations: the document's own (reassign), and the import of the list.
  var orgSelect = document.getElementById('org-select');
  if (orgSelect) orgSelect.addEventListener('change', function () {
    post('/api/documents/' + orgSelect.dataset.id + '/organization', { organization: orgSelect.value || null }, 'PUT')
      .then(function (res) {
        document.getElementById('org-how').textContent = res.ok ? '人工指定' : (res.body.detail || '改归失败');
      });
  });
  var orgForm = document.getElementById('org-import');
  if (orgForm) orgForm.addEventListener('submit', function (e) {
    e.preventDefault();
    var input = document.getElementById('org-file');
    var out = document.getElementById('org-import-status');
    if (!input.files.length) { out.textContent = '请选择 CSV 或 XLSX 文件'; return; }
    var fd = new FormData();
    fd.append('file', input.files[0], input.files[0].name);
    var headers = {};
    if (CSRF) headers['X-CSRF-Token'] = CSRF;
    fetch('/api/organizations/import', { method: 'POST', credentials: 'same-origin', headers: headers, body: fd })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (!res.ok) { out.textContent = res.body.detail || '导入失败'; return; }
        out.textContent = '已导入：新增 ' + res.body.added + ' 个，更新 ' + res.body.updated + ' 个' +
          (res.body.errors.length ? '；' + res.body.errors.join('；') : '');
        out.dataset.done = '1';
        setTimeout(function () { location.reload(); }, 800);
      });
  });

  var fs = document.getElementById('f-sev'), fr = document.getElementById('f-rule'), si = document.getElementById('show-info');
  // 提示 stay hidden unless the switch is on or the severity filter asks for them.
  function applyFilters() {
    var infoShown = (si && si.checked) || (fs && fs.value === 'info');
    items.forEach(function (li) {
      var ok = (!fs.value || li.dataset.severity === fs.value) && (!fr.value || li.dataset.rule === fr.value) &&
               (infoShown || li.dataset.severity !== 'info');
      li.hidden = !ok;
    });
    var pages = document.getElementById('pages');
    if (pages) pages.classList.toggle('hide-info', !infoShown);
  }
  if (fs && fr) {
    fs.addEventListener('change', applyFilters);
    fr.addEventListener('change', applyFilters);
    if (si) si.addEventListener('change', applyFilters);
    applyFilters();
  }
})();
