/* juesuan web: uploads with progress, live job list, finding ↔ page highlight. No build step. */
(function () {
  'use strict';
  var STATUS = { queued: '排队中', running: '处理中', done: '完成', failed: '失败' };
  // A logged-in session sends its CSRF token with every change it asks for.
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var CSRF = csrfMeta ? csrfMeta.content : '';

  // What a folder's file must end with to be sent (the server sniffs the content anyway).
  var ACCEPT = ['.pdf', '.docx', '.xlsx', '.xls', '.doc', '.html', '.htm', '.txt', '.md', '.zip'];
  function accepted(name) {
    var low = name.toLowerCase();
    return ACCEPT.some(function (ext) { return low.slice(-ext.length) === ext; });
  }

  // One file to the API; a zip answers with every document it held, each followed in the list.
  function uploadOne(file, li, folder) {
    return new Promise(function (resolve) {
      var fd = new FormData();
      fd.append('file', file, file.name);
      if (folder) fd.append('folder', folder);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/documents');
      if (CSRF) xhr.setRequestHeader('X-CSRF-Token', CSRF);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) li.textContent = file.name + '：上传中 ' + Math.round(100 * e.loaded / e.total) + '%';
      };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
        if (!body) {
          li.textContent = file.name + '：上传失败（' + xhr.status + '）';
        } else if (xhr.status >= 300) {
          li.textContent = file.name + '：' + (body.detail || '上传失败');
        } else if (body.id) {
          li.dataset.id = body.id; li.dataset.name = file.name;
          li.textContent = file.name + '：已上传，' + (STATUS[body.status] || body.status);
        } else {  // a zip: one line per document it held, and what was skipped
          li.textContent = file.name + '：已解压 ' + body.documents.length + ' 个文件' +
            (body.skipped.length ? '，跳过 ' + body.skipped.length + ' 个' : '');
          var list = document.getElementById('upload-status');
          body.documents.forEach(function (d) {
            var sub = document.createElement('li');
            sub.dataset.id = d.id; sub.dataset.name = d.filename;
            sub.textContent = d.filename + '：已上传，' + (STATUS[d.status] || d.status);
            list.appendChild(sub);
          });
          body.skipped.forEach(function (x) {
            var sk = document.createElement('li');
            sk.className = 'skipped'; sk.dataset.status = 'skipped';
            sk.textContent = file.name + ' › ' + x.name + '：已跳过（' + x.reason + '）';
            list.appendChild(sk);
          });
        }
        resolve();
      };
      xhr.onerror = function () { li.textContent = file.name + '：网络错误，上传失败'; resolve(); };
      xhr.send(fd);
    });
  }

  var form = document.getElementById('upload-form');
  if (form) {
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var picked = Array.prototype.slice.call(document.getElementById('file-input').files);
      var folderInput = document.getElementById('folder-input');
      var inFolder = folderInput ? Array.prototype.slice.call(folderInput.files) : [];
      if (!picked.length && !inFolder.length) return;
      var list = document.getElementById('upload-status');
      var jobs = [];
      picked.forEach(function (f) { jobs.push({ file: f, folder: null }); });
      inFolder.forEach(function (f) {
        var rel = f.webkitRelativePath || f.name;
        var hidden = rel.split('/').some(function (x) { return x.charAt(0) === '.' || x === '__MACOSX'; });
        if (hidden || !accepted(f.name)) {
          var sk = document.createElement('li');
          sk.className = 'skipped'; sk.dataset.status = 'skipped';
          sk.textContent = rel + '：已跳过（' + (hidden ? '系统或隐藏文件' : '不是可核对的文件类型') + '）';
          list.appendChild(sk);
          return;
        }
        jobs.push({ file: f, folder: rel.split('/')[0] });
      });
      jobs.forEach(function (j) {
        j.li = document.createElement('li');
        j.li.textContent = j.file.name + '：等待上传';
        list.appendChild(j.li);
      });
      // a few at a time: a folder of hundreds of files does not open hundreds of requests
      var next = 0;
      function worker() {
        if (next >= jobs.length) return Promise.resolve();
        var j = jobs[next++];
        return uploadOne(j.file, j.li, j.folder).then(worker);
      }
      var lanes = [];
      for (var k = 0; k < Math.min(3, jobs.length); k++) lanes.push(worker());
      Promise.all(lanes).then(function () {
        document.getElementById('file-input').value = '';
        if (folderInput) folderInput.value = '';
        refreshJobs();
      });
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
  function badge(cls, text, title) {
    var b = document.createElement('span');
    b.className = cls; b.textContent = text;
    if (title) b.title = title;
    return b;
  }
  function jobRow(d, selectable, picked) {
    var tr = document.createElement('tr');
    var data = { id: d.id, status: d.status, kind: d.kind || '', review: d.review.state, filename: d.filename,
                 department: d.department || '', year: num(d.year), created_at: d.created_at || '', pages: num(d.pages),
                 n_error: num(d.summary.error), n_warning: num(d.summary.warning), n_info: num(d.summary.info),
                 parts: String(d.parts.length), part: d.part || '' };
    Object.keys(data).forEach(function (k) { tr.dataset[k] = data[k]; });
    if (selectable) {
      var sel = document.createElement('td');
      sel.className = 'sel';
      var box = document.createElement('input');
      box.type = 'checkbox'; box.className = 'pick'; box.value = d.id; box.checked = !!picked[d.id];
      box.setAttribute('aria-label', '选择 ' + d.filename);
      sel.appendChild(box);
      tr.appendChild(sel);
    }
    var td = document.createElement('td');
    var a = document.createElement('a');
    a.href = '/documents/' + d.id;
    if (d.parts.length) {  // a group: one line per file
      d.parts.forEach(function (p, i) {
        if (i) { a.appendChild(document.createTextNode(' +')); a.appendChild(document.createElement('br')); }
        a.appendChild(document.createTextNode(p.filename));
      });
    } else {
      a.textContent = d.filename;
    }
    td.appendChild(a);
    if (d.copies > 1) {
      var cp = document.createElement('span');
      cp.className = 'copy';
      cp.title = '同一文件（SHA-256 ' + d.sha256.slice(0, 12) + '）共上传 ' + d.copies + ' 次';
      cp.textContent = '第 ' + d.copy + ' 份';
      td.appendChild(document.createTextNode(' '));
      td.appendChild(cp);
    }
    if (d.parts.length) {
      td.appendChild(document.createTextNode(' '));
      td.appendChild(badge('parts', '由 ' + d.parts.length + ' 个文件合并核对',
                           d.parts.map(function (x) { return x.filename; }).join('、')));
    } else if (d.part === 'narrative' || d.part === 'tables') {
      td.appendChild(document.createTextNode(' '));
      td.appendChild(badge('onepart', '仅' + d.part_zh, '只含' + d.part_zh + '：另一部分若在另一个文件中，上传后自动合并核对'));
    }
    tr.appendChild(td);
    tr.appendChild(cell(d.department));
    tr.appendChild(cell(d.year));
    tr.appendChild(cell(d.kind));
    tr.appendChild(cell((d.created_at || '').replace('T', ' ')));
    tr.appendChild(cell(d.pages));
    tr.appendChild(cell(d.skipped ? '已跳过' : (STATUS[d.status] || d.status), 'st st-' + (d.skipped ? 'skipped' : d.status)));
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

  // The upload messages follow their jobs until each is done or failed; a file checked with
  // another as one disclosure follows its group.
  function updateUploads(docs) {
    var pending = false;
    var done = 0, all = 0;
    document.querySelectorAll('#upload-status li[data-id]').forEach(function (li) {
      var d = docs.filter(function (x) { return x.id === li.dataset.id; })[0];
      var group = null;
      if (!d) {
        group = docs.filter(function (x) { return x.parts.some(function (p) { return p.id === li.dataset.id; }); })[0];
        d = group;
      }
      if (!d) return;
      all++;
      var msg = li.dataset.name + '：';
      if (group) msg += '已与' + group.parts.filter(function (p) { return p.id !== li.dataset.id; })
        .map(function (p) { return '“' + p.filename + '”'; }).join('、') + '合并核对，';
      if (d.skipped) {
        msg += '已跳过（' + (d.error || '不是预决算公开文件') + '）';
        done++;
      } else if (d.status === 'done') {
        done++;
        msg += '核对完成（错误 ' + d.summary.error + '，警告 ' + d.summary.warning + '，提示 ' + d.summary.info + '）';
      } else if (d.status === 'failed') {
        done++;
        msg += '处理失败：' + (d.error || '');
      } else {
        msg += (group ? '' : '已上传，') + STATUS[d.status] + (d.status === 'running' ? '（' + d.progress + '%）' : '');
        pending = true;
      }
      li.textContent = msg;
      li.dataset.status = d.skipped ? 'skipped' : d.status;
      li.dataset.group = group ? group.id : '';
    });
    var summary = document.getElementById('upload-summary');
    if (summary && all) {
      summary.textContent = '本次上传 ' + all + ' 个文件，已处理 ' + done + ' 个' + (done === all ? '，全部完成。' : '……');
      summary.dataset.done = done === all ? '1' : '';
    }
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

  // Select many: the shown rows' boxes; delete or re-check the selected, one request each.
  function pickedIds() {
    return Array.prototype.map.call(document.querySelectorAll('#jobs input.pick:checked'), function (b) { return b.value; });
  }
  function updateSelection() {
    var n = pickedIds().length;
    ['delete-selected', 'recheck-selected'].forEach(function (id) {
      var b = document.getElementById(id);
      if (b) b.disabled = n === 0;
    });
    var all = document.getElementById('select-all');
    var shown = document.querySelectorAll('#jobs tbody tr[data-id]:not([hidden]) input.pick');
    if (all) all.checked = shown.length > 0 && Array.prototype.every.call(shown, function (b) { return b.checked; });
  }
  var jobsTable = document.getElementById('jobs');
  if (jobsTable) jobsTable.addEventListener('change', function (e) {
    if (e.target.id === 'select-all') {
      document.querySelectorAll('#jobs tbody tr[data-id]').forEach(function (tr) {
        var b = tr.querySelector('input.pick');
        if (b) b.checked = e.target.checked && !tr.hidden;
      });
    }
    updateSelection();
  });
  function bulk(ids, method, url, verb) {
    var status = document.getElementById('bulk-status');
    var headers = {};
    if (CSRF) headers['X-CSRF-Token'] = CSRF;
    var ok = 0, refused = [];
    var chain = Promise.resolve();
    ids.forEach(function (id) {
      chain = chain.then(function () {
        return fetch(url(id), { method: method, credentials: 'same-origin', headers: headers }).then(function (r) {
          if (r.ok) { ok++; return null; }
          return r.json().then(function (j) { refused.push(j.detail || String(r.status)); }, function () { refused.push(String(r.status)); });
        });
      });
    });
    return chain.then(function () {
      status.textContent = '已' + verb + ' ' + ok + ' 个' + (refused.length ? '；' + refused.length + ' 个未能' + verb + '：' + refused[0] : '');
      status.dataset.done = '1';
      refreshJobs();
    });
  }
  var delSel = document.getElementById('delete-selected');
  if (delSel) delSel.addEventListener('click', function () {
    var ids = pickedIds();
    if (!ids.length) return;
    if (!window.confirm('删除所选的 ' + ids.length + ' 个文件？存储的文件、核对结果和审核决定将一并删除，不能恢复。')) return;
    document.getElementById('bulk-status').dataset.done = '';
    bulk(ids, 'DELETE', function (id) { return '/api/documents/' + id; }, '删除');
  });
  var reSel = document.getElementById('recheck-selected');
  if (reSel) reSel.addEventListener('click', function () {
    var ids = pickedIds();
    document.getElementById('bulk-status').dataset.done = '';
    bulk(ids, 'POST', function (id) { return '/api/documents/' + id + '/recheck'; }, '重新核对');
  });

  // The list follows the jobs; once all look finished it looks twice more (a file just read may
  // form a group with another, queued a moment later).
  var idleLooks = 0;
  function refreshJobs() {
    var table = document.getElementById('jobs');
    if (!table) return;
    fetch('/api/documents', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (body) {
      var tbody = table.querySelector('tbody');
      var selectable = !!document.getElementById('select-all');
      var picked = {};
      pickedIds().forEach(function (id) { picked[id] = true; });
      tbody.innerHTML = '';
      if (!body.documents.length) {
        var tr0 = document.createElement('tr');
        tr0.className = 'empty';
        var td0 = cell('还没有文件。');
        td0.colSpan = selectable ? 15 : 14;
        tr0.appendChild(td0);
        tbody.appendChild(tr0);
      }
      var busy = false;
      body.documents.forEach(function (d) {
        tbody.appendChild(jobRow(d, selectable, picked));
        if (d.status === 'queued' || d.status === 'running') busy = true;
      });
      busy = updateUploads(body.documents) || busy;
      applyListView();
      updateSelection();
      if (busy) { idleLooks = 2; setTimeout(refreshJobs, 1000); }
      else if (idleLooks > 0) { idleLooks--; setTimeout(refreshJobs, 1000); }
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

  // Finding → its boxes on every page column, its cells in every table pane (document page: one
  // document; pair page: two), its sentences.
  var items = document.querySelectorAll('li.finding');
  // Bring ``el`` to the middle (or the top) of its scrolling column without moving the window.
  function reveal(el, top) {
    var box = el.parentElement;
    while (box && box !== document.body && !(box.scrollHeight > box.clientHeight && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) {
      box = box.parentElement;
    }
    if (!box || box === document.body) { el.scrollIntoView({ block: top ? 'start' : 'center' }); return; }
    var r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
    box.scrollTop += top ? r.top - b.top - 8 : r.top - b.top - (b.height - r.height) / 2;
  }
  function showTables(li) {
    var n = li.dataset.f;
    var cells = [];
    try { cells = JSON.parse(li.dataset.cells || '[]'); } catch (err) { cells = []; }
    document.querySelectorAll('.tablepane').forEach(function (pane) {
      var doc = pane.dataset.doc, shown = {}, first = null, any = false;
      pane.querySelectorAll('.xt td.hl').forEach(function (td) { td.classList.remove('hl'); });
      pane.querySelectorAll('.xt tr.hitrow').forEach(function (tr) { tr.classList.remove('hitrow'); });
      cells.forEach(function (c) {
        if (c[0] !== doc) return;
        var t = pane.querySelector('.xtable[data-t="' + c[1] + '"]');
        if (!t) return;
        shown[c[1]] = true;
        if (c[2] === null) return;  // the table as a whole
        t.querySelectorAll('tr[data-r]').forEach(function (tr) {
          if (tr.dataset.r !== String(c[2]) || (c[3] !== null && tr.dataset.s !== c[3])) return;
          tr.classList.add('hitrow');
          tr.querySelectorAll('td[data-c]').forEach(function (td) {
            if (c[4] !== null && td.dataset.c !== c[4]) return;
            td.classList.add('hl');
            if (!first) first = td;
          });
        });
      });
      pane.querySelectorAll('.xtable').forEach(function (t) {
        t.hidden = !shown[t.dataset.t];
        if (!t.hidden) any = true;
      });
      pane.querySelectorAll('.xlines').forEach(function (x) {
        x.hidden = x.dataset.f !== n;
        if (!x.hidden) any = true;
      });
      var hint = pane.querySelector('.pane-hint'), none = pane.querySelector('.pane-none');
      if (hint) hint.hidden = true;
      if (none) none.hidden = any;
      if (first) reveal(first);
      else if (any) pane.scrollTop = 0;
    });
  }
  function activate(li) {
    var n = li.dataset.f;
    items.forEach(function (x) { x.classList.toggle('active', x === li); });
    document.querySelectorAll('.box.on').forEach(function (b) { b.classList.remove('on'); });
    document.querySelectorAll('.box[data-f="' + n + '"]').forEach(function (b) { b.classList.add('on'); });
    document.querySelectorAll('.pages').forEach(function (col) {
      var box = col.querySelector('.box.on');
      if (box) {
        reveal(box);
      } else if (col.id === 'pages' && li.dataset.page) {
        var pg = document.getElementById('page-' + li.dataset.page);
        if (pg) reveal(pg, true);
      }
    });
    showTables(li);
  }
  // A place of the finding with a page: its page's box (or the page) comes into view.
  document.querySelectorAll('li.finding ul.locs li.goto').forEach(function (loc) {
    loc.addEventListener('click', function (e) {
      e.stopPropagation();
      var li = loc.closest('li.finding');
      activate(li);
      var col = document.querySelector('.pages[data-doc="' + loc.dataset.doc + '"]');
      if (!col) return;
      var page = col.querySelector('.page[data-page="' + loc.dataset.page + '"]');
      var box = page ? page.querySelector('.box[data-f="' + li.dataset.f + '"]') : null;
      var target = box || page;
      if (target) reveal(target, !box);
    });
  });
  document.querySelectorAll('li.finding ul.locs a, li.finding .xdoc a').forEach(function (a) {
    a.addEventListener('click', function (e) { e.stopPropagation(); });
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

  // The organisation tree edited in the page (administrators): add, save a row, delete (with the
  // unit its documents go to when it has any). The page reloads after each change: the tree's
  // order and depths are the server's.
  function send(method, url, body) {
    var headers = { 'Content-Type': 'application/json' };
    if (CSRF) headers['X-CSRF-Token'] = CSRF;
    return fetch(url, { method: method, credentials: 'same-origin', headers: headers,
                        body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, status: r.status, body: j }; }); });
  }
  function orgUrl(code) { return '/api/organizations/' + encodeURIComponent(code); }
  function done(out, text) { out.textContent = text; out.dataset.done = '1'; setTimeout(function () { location.reload(); }, 600); }
  var orgAdd = document.getElementById('org-add');
  if (orgAdd) orgAdd.addEventListener('submit', function (e) {
    e.preventDefault();
    var out = document.getElementById('org-add-status');
    var body = {};
    ['name', 'code', 'parent', 'region'].forEach(function (k) { body[k] = orgAdd.elements[k].value.trim() || null; });
    send('POST', '/api/organizations', body).then(function (res) {
      if (!res.ok) { out.textContent = res.body.detail || '新增失败'; return; }
      done(out, '已新增：' + res.body.organization.name);
    });
  });
  document.querySelectorAll('#org-tree tr[data-code]').forEach(function (tr) {
    var out = tr.querySelector('.msg');
    function field(k) { return tr.querySelector('input[name="' + k + '"]').value.trim(); }
    tr.querySelector('.org-save').addEventListener('click', function () {
      var body = { name: field('name'), code: field('code') || null, parent: field('parent') || null, region: field('region') || null };
      send('PATCH', orgUrl(tr.dataset.code), body).then(function (res) {
        if (!res.ok) { out.textContent = res.body.detail || '保存失败'; return; }
        done(out, Object.keys(res.body.changes).length ? '已保存' : '没有改动');
      });
    });
    function remove(moveTo) {
      var url = orgUrl(tr.dataset.code) + (moveTo ? '?move_to=' + encodeURIComponent(moveTo) : '');
      send('DELETE', url).then(function (res) {
        if (res.status === 409) { out.textContent = res.body.detail; tr.querySelector('.move').hidden = false; return; }
        if (!res.ok) { out.textContent = res.body.detail || '删除失败'; return; }
        done(out, '已删除' + (res.body.documents_moved ? '，' + res.body.documents_moved + ' 个文件已转移' : ''));
      });
    }
    tr.querySelector('.org-delete').addEventListener('click', function () { remove(null); });
    tr.querySelector('.org-delete-move').addEventListener('click', function () {
      var to = field('move_to');
      if (!to) { out.textContent = '请填写文件转移到的单位编码'; return; }
      remove(to);
    });
  });

  var fs = document.getElementById('f-sev'), fr = document.getElementById('f-rule'), si = document.getElementById('show-info');
  // 提示 stay hidden unless the switch is on or the severity filter asks for them; the switch is
  // remembered in this browser.
  var INFO_KEY = 'juesuan.showInfo';
  function applyFilters() {
    var infoShown = (si && si.checked) || (fs && fs.value === 'info');
    items.forEach(function (li) {
      var ok = (!fs.value || li.dataset.severity === fs.value) && (!fr.value || li.dataset.rule === fr.value) &&
               (infoShown || li.dataset.severity !== 'info');
      li.hidden = !ok;
    });
    document.querySelectorAll('.pages').forEach(function (col) { col.classList.toggle('hide-info', !infoShown); });
    var findings = document.getElementById('findings');
    if (findings) findings.dataset.info = infoShown ? 'shown' : 'hidden';
  }
  if (fs && fr) {
    if (si) {
      try { si.checked = window.localStorage.getItem(INFO_KEY) === '1'; } catch (err) { /* storage off */ }
      si.addEventListener('change', function () {
        try { window.localStorage.setItem(INFO_KEY, si.checked ? '1' : '0'); } catch (err) { /* storage off */ }
        applyFilters();
      });
    }
    fs.addEventListener('change', applyFilters);
    fr.addEventListener('change', applyFilters);
    applyFilters();
  }
})();
