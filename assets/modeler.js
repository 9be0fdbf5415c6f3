// BPMN modeler with the Camunda 7 properties panel and the approval settings group
// (policy staff set each user task's role, form, time limit and yellow threshold).
import Modeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import ApprovalPropertiesModule from './approval-properties';

// The page's language: bpmn-js and the panel pass every text through `translate`.
function translateModule(texts = {}) {
  const translate = (template, replacements = {}) => (texts[template] || template)
    .replace(/{([^}]+)}/g, (all, key) => (key in replacements ? replacements[key] : all));
  return { translate: ['value', translate] };
}

function createModeler(container, propertiesParent, approval = {}) {
  return new Modeler({
    container,
    propertiesPanel: { parent: propertiesParent },
    additionalModules: [
      BpmnPropertiesPanelModule, BpmnPropertiesProviderModule,
      CamundaPlatformPropertiesProviderModule, CamundaBehaviorsModule, ApprovalPropertiesModule,
      translateModule(approval.translations),
    ],
    moddleExtensions: { camunda: camundaModdle },
    approval,
  });
}

window.ApprovalModeler = { createModeler };
