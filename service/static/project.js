// Project page: draw the process diagram with done, current and returned marks.
(function () {
  var data = JSON.parse(document.getElementById('diagram-data').textContent);
  var container = document.getElementById('diagram');
  window.ApprovalDiagram.renderDiagram(container, data.xml, data.marks)
    .then(function () { container.setAttribute('data-rendered', 'true'); })
    .catch(function (err) {
      container.setAttribute('data-rendered', 'error');
      container.textContent = String(err && err.message || err);
    });
})();
