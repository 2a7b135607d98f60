// Small DOM helpers shared by the views.

export const byId = (id) => {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`the page has no #${id}`);
  }
  return element;
};

export function show(element, visible = true) {
  element.hidden = !visible;
}

export function setPressed(button, pressed, labels) {
  button.setAttribute('aria-pressed', String(!!pressed));
  if (labels) {
    button.textContent = pressed ? labels[1] : labels[0];
  }
}

export function setExpanded(button, expanded) {
  button.setAttribute('aria-expanded', String(!!expanded));
}
