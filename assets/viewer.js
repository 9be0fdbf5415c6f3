// Read-only diagram with markers for done, current and returned steps (project page).
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

async function renderDiagram(container, xml, marks = {}) {
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  for (const [cls, ids] of Object.entries(marks)) {
    for (const id of ids || []) {
      if (registry.get(id)) canvas.addMarker(id, cls);
    }
  }
  canvas.zoom('fit-viewport');
  return viewer;
}

window.ApprovalDiagram = { renderDiagram };
