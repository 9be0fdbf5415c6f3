// Form editor: a table of fields (name, type, required, bounds, labels in both languages) kept in
// step with the JSON text; live checks and preview from the server as either changes.
(function () {
  const config = JSON.parse(document.getElementById('form-editor-config').textContent);
  const area = document.getElementById('form-json');
  const body = document.querySelector('#field-table tbody');
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  let timer = null;

  function parsed() {
    try { return JSON.parse(area.value); } catch (e) { return null; }
  }

  async function check() {
    const response = await fetch(config.check_url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify({ text: area.value }),
    });
    const data = await response.json();
    const list = document.getElementById('form-problems');
    list.innerHTML = '';
    for (const p of data.problems) {
      const item = document.createElement('li');
      item.textContent = p;
      list.append(item);
    }
    if (data.preview) document.getElementById('form-preview').innerHTML = data.preview;
  }

  function changed() {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }

  function write(form) {
    area.value = JSON.stringify(form, null, 2);
    changed();
  }

  function input(value, onChange, type = 'text') {
    const element = document.createElement('input');
    element.type = type;
    if (type === 'checkbox') element.checked = !!value; else element.value = value ?? '';
    element.addEventListener('change', () => onChange(type === 'checkbox' ? element.checked : element.value));
    return element;
  }

  function typeSelect(value, onChange) {
    const element = document.createElement('select');
    for (const t of config.types) element.append(new Option(t, t, false, t === value));
    element.addEventListener('change', () => onChange(element.value));
    return element;
  }

  function number(text) {
    return text === '' ? undefined : Number(text);
  }

  function render() {
    const form = parsed();
    if (!form || !Array.isArray(form.fields)) return;
    body.innerHTML = '';
    form.fields.forEach((field, index) => {
      const update = (apply) => {
        const current = parsed();
        if (!current) return;
        apply(current.fields[index]);
        write(current);
      };
      const setKey = (key, value) => update((f) => { if (value === undefined || value === '') delete f[key]; else f[key] = value; });
      const setLabel = (lang, value) => update((f) => { f.label = { ...(f.label || {}), [lang]: value }; });
      const cells = [
        input(field.name, (v) => setKey('name', v.trim())),
        typeSelect(field.type, (v) => setKey('type', v)),
        input(field.required, (v) => setKey('required', v || undefined), 'checkbox'),
        input(field.min, (v) => setKey('min', number(v)), 'number'),
        input(field.max, (v) => setKey('max', number(v)), 'number'),
        input((field.label || {}).zh, (v) => setLabel('zh', v)),
        input((field.label || {}).en, (v) => setLabel('en', v)),
      ];
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = config.remove;
      remove.addEventListener('click', () => {
        const current = parsed();
        current.fields.splice(index, 1);
        write(current);
        render();
      });
      const row = document.createElement('tr');
      for (const cell of [...cells, remove]) {
        const td = document.createElement('td');
        td.append(cell);
        row.append(td);
      }
      body.append(row);
    });
  }

  document.getElementById('add-field').addEventListener('click', () => {
    const form = parsed();
    if (!form) return;
    form.fields = form.fields || [];
    form.fields.push({ name: 'field_' + (form.fields.length + 1), type: 'text', label: { zh: '', en: '' } });
    write(form);
    render();
  });
  area.addEventListener('input', () => { changed(); render(); });
  // Drafts are saved on the server: a new draft starts from this version's diagram; an open
  // draft keeps its other forms and diagram.
  async function saveDraft() {
    const form = parsed();
    const shown = document.getElementById('form-draft-status');
    if (!form) { shown.textContent = config.failed + ' JSON'; return; }
    const title = document.getElementById('draft-title').value.trim();
    const draft = config.draft;
    const forms = { ...(draft ? draft.forms : {}), [config.key]: form };
    // The revision it was opened at: a colleague's save since then makes the server refuse this.
    const body = draft ? { title, forms, revision: draft.revision }
      : { title, forms, based_on_id: config.definition_id };
    const response = await fetch(draft ? config.drafts_url + '/' + draft.id : config.drafts_url, {
      method: draft ? 'PUT' : 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    if (response.status === 409) { shown.textContent = config.stale; return; }
    if (!response.ok) {
      shown.textContent = config.failed + ' ' + (data.message || '') + ' ' + JSON.stringify(data.errors || {});
      return;
    }
    config.draft = { id: data.id, forms: data.forms, revision: data.revision };
    const url = new URL(window.location.href);
    url.searchParams.set('draft', data.id);
    window.history.replaceState(null, '', url);
    shown.textContent = config.saved;
  }

  document.getElementById('save-form-draft').addEventListener('click', saveDraft);
  render();
})();
