// Properties-panel group "Approval settings" for user tasks: role, form, time limit, yellow threshold.
// Role and form are written as camunda:candidateGroups / camunda:formKey; the time limit and the
// yellow threshold as camunda:properties time_limit_days / yellow_days (what the service reads).
import { h } from '@bpmn-io/properties-panel/preact';
import {
  SelectEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited,
} from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

const UPDATE = 'element.updateModdleProperties';

function propertiesOf(bo) {
  const ext = bo.get('extensionElements');
  return ext && ext.get('values').find((v) => is(v, 'camunda:Properties'));
}

export function getProperty(element, name) {
  const props = propertiesOf(getBusinessObject(element));
  const prop = props && props.get('values').find((p) => p.get('name') === name);
  return prop ? prop.get('value') || '' : '';
}

export function setProperty(element, name, value, bpmnFactory, commandStack) {
  const bo = getBusinessObject(element);
  const commands = [];
  let ext = bo.get('extensionElements');
  if (!ext) {
    ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = bo;
    commands.push({ cmd: UPDATE, context: { element, moddleElement: bo, properties: { extensionElements: ext } } });
  }
  let props = propertiesOf(bo) || null;
  if (!props) {
    props = bpmnFactory.create('camunda:Properties', { values: [] });
    props.$parent = ext;
    commands.push({ cmd: UPDATE, context: { element, moddleElement: ext, properties: { values: [...ext.get('values'), props] } } });
  }
  const existing = props.get('values').find((p) => p.get('name') === name);
  const text = value === undefined || value === null ? '' : String(value).trim();
  if (!text && existing) {
    commands.push({ cmd: UPDATE, context: { element, moddleElement: props, properties: { values: props.get('values').filter((p) => p !== existing) } } });
  } else if (text && existing) {
    commands.push({ cmd: UPDATE, context: { element, moddleElement: existing, properties: { value: text } } });
  } else if (text) {
    const prop = bpmnFactory.create('camunda:Property', { name, value: text });
    prop.$parent = props;
    commands.push({ cmd: UPDATE, context: { element, moddleElement: props, properties: { values: [...props.get('values'), prop] } } });
  }
  if (commands.length) commandStack.execute('properties-panel.multi-command-executor', commands);
}

function wholeDays(label) {
  return (value) => (value && !/^[1-9][0-9]{0,2}$/.test(value.trim()) ? label : null);
}

function AttributeSelect({ element, id, label, attribute, options }) {
  const modeling = useService('modeling');
  return h(SelectEntry, {
    element, id, label,
    getValue: () => getBusinessObject(element).get(attribute) || '',
    setValue: (value) => modeling.updateProperties(element, { [attribute]: value || undefined }),
    getOptions: () => options,
  });
}

function PropertyField({ element, id, label, name, invalid, description }) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  return h(TextFieldEntry, {
    element, id, label, description, debounce,
    getValue: () => getProperty(element, name),
    setValue: (value) => setProperty(element, name, value, bpmnFactory, commandStack),
    validate: wholeDays(invalid),
  });
}

export const SHOWN_GROUPS = ['general', 'approval', 'CamundaPlatform__Condition', 'condition'];
const SHOWN_GENERAL = ['name'];

class ApprovalPropertiesProvider {
  constructor(propertiesPanel, config) {
    this.config = config || {};
    propertiesPanel.registerProvider(400, this);
  }

  getGroups(element) {
    return (all) => {
      // Policy staff set names, approval settings and the conditions of flows; Camunda's
      // listeners, asynchronous continuations, input/output mappings and the rest stay hidden
      // (a diagram that uses them keeps them: hiding is not removing).
      const groups = all.filter((g) => SHOWN_GROUPS.includes(g.id));
      const general = groups.find((g) => g.id === 'general');
      if (general) general.entries = general.entries.filter((e) => SHOWN_GENERAL.includes(e.id));
      if (!is(element, 'bpmn:UserTask')) return groups;
      const c = this.config;
      const t = c.labels || {};
      const blank = [{ value: '', label: t.none || '—' }];
      const entries = [
        { id: 'approval-role', element, component: AttributeSelect, isEdited: isSelectEntryEdited,
          label: t.role || 'Role', attribute: 'camunda:candidateGroups',
          options: blank.concat(c.roles || []) },
        { id: 'approval-form', element, component: AttributeSelect, isEdited: isSelectEntryEdited,
          label: t.form || 'Form', attribute: 'camunda:formKey',
          options: blank.concat(c.forms || []) },
        { id: 'approval-timeLimit', element, component: PropertyField, isEdited: isTextFieldEntryEdited,
          label: t.timeLimit || 'Time limit (working days)', name: 'time_limit_days',
          invalid: t.wholeDays || 'A whole number of working days' },
        { id: 'approval-yellow', element, component: PropertyField, isEdited: isTextFieldEntryEdited,
          label: t.yellow || 'Yellow warning (working days before due)', name: 'yellow_days',
          invalid: t.wholeDays || 'A whole number of working days' },
      ];
      groups.splice(1, 0, { id: 'approval', label: t.group || 'Approval settings', entries, shouldOpen: true });
      return groups;
    };
  }
}
ApprovalPropertiesProvider.$inject = ['propertiesPanel', 'config.approval'];

export default {
  __init__: ['approvalPropertiesProvider'],
  approvalPropertiesProvider: ['type', ApprovalPropertiesProvider],
};
