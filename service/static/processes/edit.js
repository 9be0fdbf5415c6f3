// The process modeler page: drafts (in this browser), check, deploy with a change note.
(function () {
  const config = JSON.parse(document.getElementById('modeler-config').textContent);
  const texts = JSON.parse(document.getElementById('modeler-texts').textContent);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const draftForms = {};
  for (let i = 0; i < localStorage.length; i += 1) {
    const name = localStorage.key(i);
    if (!name.startsWith('form-draft:')) continue;
    try { draftForms[name.slice(11)] = JSON.parse(localStorage.getItem(name)); } catch (e) { /* skip */ }
  }
  for (const key of Object.keys(draftForms)) {
    if (!config.approval.forms.some((f) => f.value === key)) {
      config.approval.forms.push({ value: key, label: key + ' (' + texts.draftForm + ')' });
    }
  }
  const modeler = window.ApprovalModeler.createModeler(
    document.getElementById('canvas'), document.getElementById('properties'), config.approval);
  const draftKey = 'process-draft:' + config.key;
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

  async function post(url, body) {
    const response = await fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    return { ok: response.ok, data };
  }

  function problemsOf(data) {
    const found = [];
    for (const [field, items] of Object.entries((data && data.errors) || {})) {
      for (const item of items) {
        found.push(typeof item === 'string' ? { element: field, message: item } : item);
      }
    }
    if (!found.length) found.push({ element: null, message: (data && data.message) || texts.failed });
    return found;
  }

  $('save-draft').addEventListener('click', async () => {
    localStorage.setItem(draftKey, JSON.stringify({ xml: await currentXml(), at: new Date().toISOString() }));
    status(texts.saved);
  });

  $('open-draft').addEventListener('click', async () => {
    const draft = JSON.parse(localStorage.getItem(draftKey) || 'null');
    if (draft) await open(draft.xml);
  });

  $('open-file').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (file) await open(await file.text());
  });

  $('validate').addEventListener('click', async () => {
    const { ok, data } = await post(config.check_url, { xml: await currentXml(), forms: Object.values(draftForms) });
    showProblems(ok ? [] : problemsOf(data));
    status(ok ? texts.valid : '', !ok);
  });

  $('deploy').addEventListener('click', async () => {
    const note = $('note').value.trim();
    if (!note) { status(texts.note, true); $('note').focus(); return; }
    $('deploy').disabled = true;
    try {
      const { ok, data } = await post(config.deploy_url, { xml: await currentXml(), note, forms: Object.values(draftForms) });
      if (!ok) { showProblems(problemsOf(data)); status('', true); return; }
      localStorage.removeItem(draftKey);
      for (const key of data.forms || []) localStorage.removeItem('form-draft:' + key);
      status(texts.deployed);
      window.location.href = data.url;
    } finally {
      $('deploy').disabled = false;
    }
  });

  const draft = JSON.parse(localStorage.getItem(draftKey) || 'null');
  if (draft) {
    $('open-draft').hidden = false;
    $('open-draft').textContent += ' (' + draft.at.slice(0, 16).replace('T', ' ') + ')';
  }
  open(config.xml);
  window.processModeler = modeler;
})();
