// The process modeler page: drafts saved on the server (with unsaved changes kept in this
// browser as a safety net), check, deploy with a change note.
(function () {
  const config = JSON.parse(document.getElementById('modeler-config').textContent);
  const texts = JSON.parse(document.getElementById('modeler-texts').textContent);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  let draft = config.draft;  // the server draft being edited, or null
  const modeler = window.ApprovalModeler.createModeler(
    document.getElementById('canvas'), document.getElementById('properties'), config.approval);
  const unsavedKey = () => 'process-unsaved:' + config.key + ':' + (draft ? draft.id : 'new');
  const $ = (id) => document.getElementById(id);

  function status(text, error) {
    $('status').textContent = text || '';
    $('status').className = error ? 'flash error' : (text ? 'flash' : '');
  }

  function showProblems(problems) {
    const list = $('problem-list');
    list.innerHTML = '';
    for (const p of problems) {
      const item = document.createElement('li');
      const code = document.createElement('code');
      code.textContent = p.element || '—';
      item.append(code, ' ', p.message);
      item.dataset.element = p.element || '';
      item.addEventListener('click', () => select(p.element));
      list.append(item);
    }
    $('problems').hidden = problems.length === 0;
  }

  function select(id) {
    const element = id && modeler.get('elementRegistry').get(id);
    if (element) modeler.get('selection').select(element);
  }

  async function open(xml) {
    await modeler.importXML(xml);
    modeler.get('canvas').zoom('fit-viewport');
  }

  async function currentXml() {
    const { xml } = await modeler.saveXML({ format: true });
    return xml;
  }

  // Forms sent with the diagram: the open draft's, and new forms of other drafts it uses.
  function formsFor(xml) {
    const forms = {};
    for (const [key, form] of Object.entries(config.new_forms || {})) {
      if (xml.includes('formKey="' + key + '"')) forms[key] = form;
    }
    return Object.values(Object.assign(forms, draft ? draft.forms : {}));
  }

  async function post(url, body, method = 'POST') {
    const response = await fetch(url, {
      method, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    return { ok: response.ok, status: response.status, data };
  }

  function problemsOf(data) {
    const found = [];
    for (const [field, items] of Object.entries((data && data.errors) || {})) {
      const list = Array.isArray(items) ? items
        : Object.entries(items).map(([key, value]) => key + ': ' + [].concat(value).join('; '));
      for (const item of list) {
        found.push(typeof item === 'string' ? { element: field, message: item } : item);
      }
    }
    if (!found.length) found.push({ element: null, message: (data && data.message) || texts.failed });
    return found;
  }

  async function saveDraft() {
    const xml = await currentXml();
    const title = $('draft-title').value.trim() || texts.untitled;
    const body = { title, bpmn_xml: xml, forms: formsFor(xml), note: $('note').value.trim() };
    // The revision it was opened at: a colleague's save since then makes the server refuse this.
    const { ok, status: code, data } = draft
      ? await post(config.drafts_url + '/' + draft.id, { ...body, revision: draft.revision }, 'PUT')
      : await post(config.drafts_url, { ...body, based_on_id: config.definition_id });
    if (code === 409) { showProblems([]); status(texts.stale, true); return false; }
    if (!ok) { showProblems(problemsOf(data)); status('', true); return false; }
    localStorage.removeItem(unsavedKey());
    draft = { id: data.id, title: data.title, note: data.note, forms: data.forms,
              revision: data.revision };
    $('draft-title').value = data.title;
    const url = new URL(window.location.href);
    url.searchParams.set('draft', data.id);
    window.history.replaceState(null, '', url);
    return true;
  }

  $('save-draft').addEventListener('click', async () => {
    if (await saveDraft()) status(texts.saved);
  });

  $('open-draft').addEventListener('click', async () => {
    const unsaved = JSON.parse(localStorage.getItem(unsavedKey()) || 'null');
    if (unsaved) await open(unsaved.xml);
  });

  $('open-file').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (file) await open(await file.text());
  });

  $('validate').addEventListener('click', async () => {
    const xml = await currentXml();
    const { ok, data } = await post(config.check_url, { xml, forms: formsFor(xml) });
    showProblems(ok ? [] : problemsOf(data));
    status(ok ? texts.valid : '', !ok);
  });

  $('deploy').addEventListener('click', async () => {
    const note = $('note').value.trim();
    if (!note) { status(texts.note, true); $('note').focus(); return; }
    $('deploy').disabled = true;
    try {
      const xml = await currentXml();
      let result;
      if (draft) {  // the draft is saved, then deployed through the same checks
        if (!(await saveDraft())) return;
        result = await post(config.drafts_url + '/' + draft.id + '/deploy', { note });
      } else {
        result = await post(config.deploy_url, { xml, note, forms: formsFor(xml) });
      }
      const { ok, data } = result;
      if (!ok) { showProblems(problemsOf(data)); status('', true); return; }
      localStorage.removeItem(unsavedKey());
      status(texts.deployed);
      window.location.href = data.url;
    } finally {
      $('deploy').disabled = false;
    }
  });

  const unsaved = JSON.parse(localStorage.getItem(unsavedKey()) || 'null');
  if (unsaved) {
    $('open-draft').hidden = false;
    $('open-draft').textContent += ' (' + unsaved.at.slice(0, 16).replace('T', ' ') + ')';
  }
  open(config.xml).then(() => {
    modeler.on('commandStack.changed', async () => {  // the safety net for unsaved changes
      localStorage.setItem(unsavedKey(), JSON.stringify({ xml: await currentXml(), at: new Date().toISOString() }));
      $('open-draft').hidden = false;
    });
  });
  window.processModeler = modeler;
})();
