// xterm.js styles its rows with <style> elements whose text it sets at run time, and some cells with
// style attributes; our CSP (style-src 'self') rightly refuses inline styles, even an empty <style>. Script-made <style>
// elements are therefore inert <template> stand-ins whose text goes into a constructed stylesheet
// adopted by the document, which the CSP allows (CSSOM): the policy stays strict and nothing is
// refused. Imported once, before the first terminal opens.

interface SheetBacked extends HTMLElement {
  __hyperionSheet?: CSSStyleSheet;
}

let installed = false;

export function installStyleShim(doc: Document = document): void {
  if (installed || typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in doc)) return;
  installed = true;
  const original = Document.prototype.createElement as (
    this: Document,
    tagName: string,
    options?: ElementCreationOptions,
  ) => HTMLElement;
  Document.prototype.createElement = function createElement(
    this: Document,
    tagName: string,
    options?: ElementCreationOptions,
  ): HTMLElement {
    if (String(tagName).toLowerCase() !== 'style') return original.call(this, tagName, options);
    // Even an empty <style> in the page is refused: hand out an inert stand-in instead.
    const element = original.call(this, 'template', options) as unknown as SheetBacked;
    element.dataset.hyperionStyle = '';
    backWithSheet(this, element);
    return element;
  } as typeof Document.prototype.createElement;
  // Its DOM renderer also writes true colours and selection colours as style attributes, which the
  // CSP refuses too; the same declarations through the CSSOM are allowed.
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string): void {
    if (name.toLowerCase() === 'style' && this instanceof HTMLElement) {
      this.style.cssText = value;
      return;
    }
    setAttribute.call(this, name, value);
  };
}

function backWithSheet(doc: Document, element: SheetBacked): void {
  const sheet = new CSSStyleSheet();
  element.__hyperionSheet = sheet;
  let text = '';
  const set = (value: string | null) => {
    text = value ?? '';
    try {
      sheet.replaceSync(text);
    } catch {
      // A rule the browser does not know is skipped, as in a <style>.
    }
    if (!doc.adoptedStyleSheets.includes(sheet)) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  };
  for (const property of ['textContent', 'innerText', 'innerHTML'] as const) {
    Object.defineProperty(element, property, { configurable: true, get: () => text, set });
  }
  const remove = element.remove.bind(element);
  element.remove = () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    remove();
  };
}
