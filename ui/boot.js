// Loads the wasm UI. Kept outside index.html so the content security policy needs no inline script.
import init from "./akashone-ui.js";
init();
