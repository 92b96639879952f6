// Small behaviours that need no build step. Everything works without them.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});

// A form submits once: a second click while the first is on its way is ignored.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.submitting === "true" && !form.hasAttribute("hx-post")) {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "true";
  window.setTimeout(() => { form.dataset.submitting = "false"; }, 4000);
});
