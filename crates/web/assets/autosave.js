// Autosave for the consultation form: every 20 seconds, if anything changed, the form is saved as
// a draft in the background, and the form's version follows the saved one. Without JavaScript
// the form works the same with its "Save the draft" button.
(function () {
  const form = document.querySelector('form.response');
  if (!form || !form.querySelector('button[value="save"]')) return;
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  status.className = 'autosave';
  form.prepend(status);
  let dirty = false;
  form.addEventListener('input', () => { dirty = true; });
  async function save() {
    if (!dirty) return;
    dirty = false;
    const data = new URLSearchParams(new FormData(form));
    data.set('action', 'save');
    const response = await fetch(form.action, { method: 'POST', body: data, headers: { 'X-Autosave': '1' }, credentials: 'same-origin' });
    const answer = await response.json().catch(() => ({}));
    if (response.ok && answer.version) {
      form.querySelector('input[name="version"]').value = answer.version;
      status.textContent = form.dataset.saved + ' ' + new Date().toLocaleTimeString();
    } else {
      status.textContent = form.dataset.conflict;
      clearInterval(timer);
    }
  }
  const timer = setInterval(save, 20000);
})();
