// Lists of server drafts: ask before deleting one.
document.querySelectorAll('form.delete-draft').forEach((form) => {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});
