/// <reference lib="dom" />
// Tiny DOM helpers for the page's views.

/** A child a drawing step may or may not have. */
export type Child = Node | string | null | undefined | false | readonly Child[];

/**
 * An element with attributes (those null, undefined or false left out) and children.
 * @example el('p', { class: 'x' }, 'text', child)
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, attributes: Readonly<Record<string, string | number | boolean | null | undefined>> = {}, ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) element.setAttribute(name, String(value));
  }
  return addTo(element, ...children);
}

/** Appends the children that exist: the DOM's own append would write "null". */
export function addTo<E extends Element>(element: E, ...children: Child[]): E {
  const visit = (child: Child) => {
    if (Array.isArray(child)) for (const inner of child as readonly Child[]) visit(inner);
    else if (child !== undefined && child !== null && child !== false) element.append(child as Node | string);
  };
  children.forEach(visit);
  return element;
}

/** An SVG element with attributes. */
export function svgEl(tag: string, attributes: Readonly<Record<string, string | number>>): SVGElement {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag) as SVGElement;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/** An element of index.html, by id: a missing one is a broken page, said plainly. */
export function byId<E extends HTMLElement = HTMLElement>(id: string): E {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the inspector page has no #${id}: index.html and the script do not match`);
  return element as E;
}
