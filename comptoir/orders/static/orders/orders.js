// Behaviours of the order pages. Every form still posts without them.
(() => {
  "use strict";

  const optionsOf = (list) => [...list.querySelectorAll('[role="option"]')];
  const usable = (option) => option.getAttribute("aria-disabled") !== "true";

  function parts(box) {
    return {
      input: box.querySelector('[role="combobox"]'),
      list: box.querySelector('[role="listbox"]'),
    };
  }

  function setActive(box, option) {
    const { input, list } = parts(box);
    optionsOf(list).forEach((each) => each.classList.toggle("active", each === option));
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(box, open) {
    const { input, list } = parts(box);
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) setActive(box, null);
  }

  function choose(box, option) {
    if (!option || !usable(option)) return;
    const { list } = parts(box);
    optionsOf(list).forEach((each) =>
      each.setAttribute("aria-selected", each === option ? "true" : "false"));
    show(box, false);
    box.dispatchEvent(new CustomEvent("combobox:choose", { bubbles: true, detail: { option } }));
  }

  // Listbox keyboard: arrows move, Enter chooses, Escape closes.
  document.addEventListener("keydown", (event) => {
    const input = event.target.closest && event.target.closest('[data-combobox] [role="combobox"]');
    if (!input) return;
    const box = input.closest("[data-combobox]");
    const { list } = parts(box);
    const all = optionsOf(list);
    const current = list.querySelector(".active");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      show(box, true);
      const index = all.indexOf(current);
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = index < 0 ? (step > 0 ? 0 : all.length - 1) : (index + step + all.length) % all.length;
      setActive(box, all[next]);
    } else if (event.key === "Enter") {
      // Enter in the search box never submits the surrounding form.
      event.preventDefault();
      if (!list.hidden && current) choose(box, current);
    } else if (event.key === "Escape") {
      show(box, false);
    }
  });

  document.addEventListener("click", (event) => {
    const option = event.target.closest('[data-combobox] [role="option"]');
    if (option) {
      choose(option.closest("[data-combobox]"), option);
      return;
    }
    document.querySelectorAll("[data-combobox]").forEach((box) => {
      if (!box.contains(event.target)) show(box, false);
    });
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const list = event.detail.target;
    if (!list.matches || !list.matches('[role="listbox"]')) return;
    const box = list.closest("[data-combobox]");
    const { input } = parts(box);
    const found = list.children.length > 0 && input.value.trim() !== "";
    show(box, found);
    if (found) setActive(box, optionsOf(list).find(usable) || null);
  });

  // Step 2: a chosen customer fills the fields, which stay editable.
  function fillCustomer(box, option) {
    const form = document.querySelector(".customer-form");
    const values = JSON.parse(option.dataset.fill);
    for (const [name, value] of Object.entries(values)) {
      const field = form.elements[name];
      if (!field) continue;
      if (field.type === "checkbox") field.checked = Boolean(value);
      else field.value = value === null ? "" : value;
    }
    toggleShipping(form);
    const name = option.querySelector(".option-main").firstChild.textContent.trim();
    parts(box).input.value = name;
    const chosen = document.getElementById("chosen-customer");
    if (chosen) {
      chosen.querySelector("[data-chosen-name]").textContent = name;
      chosen.hidden = false;
    }
    form.elements.email.focus();
  }

  // Step 3: a chosen product waits for its quantity.
  function pickProduct(box, option) {
    const form = box.closest("form");
    form.querySelector("[data-variant-input]").value = option.dataset.value;
    parts(box).input.value = option.dataset.label;
    const quantity = form.elements.quantity;
    quantity.focus();
    quantity.select();
  }

  document.addEventListener("combobox:choose", (event) => {
    const box = event.target;
    if (box.dataset.combobox === "customer") fillCustomer(box, event.detail.option);
    if (box.dataset.combobox === "product") pickProduct(box, event.detail.option);
  });

  function toggleShipping(form) {
    const same = form.elements.same_as_billing;
    const fields = document.getElementById("ship-fields");
    if (same && fields) fields.hidden = same.checked;
  }

  document.addEventListener("change", (event) => {
    const form = event.target.form;
    if (!form || !form.classList.contains("customer-form")) return;
    if (event.target.name === "same_as_billing") toggleShipping(form);
    // A guest order has no customer record: forget the one chosen.
    if (event.target.name === "guest" && event.target.checked) {
      form.elements.customer.value = "";
      const chosen = document.getElementById("chosen-customer");
      if (chosen) chosen.hidden = true;
    }
  });

  // Typing a new product name forgets the product chosen before.
  document.addEventListener("input", (event) => {
    if (event.target.id !== "product-search") return;
    const hidden = event.target.form && event.target.form.querySelector("[data-variant-input]");
    if (hidden) hidden.value = "";
  });
})();
